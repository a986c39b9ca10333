package checkpoint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wasmbert/wasmbert/model/bert"
)

// canonicalName maps an HF state-dict name to the model-file name: without
// the "bert." or "roberta." prefix, and with the legacy LayerNorm.gamma/beta spelled
// weight/bias.
func canonicalName(name string) string {
	name = strings.TrimPrefix(strings.TrimPrefix(name, "bert."), "roberta.")
	if !strings.Contains(name, "LayerNorm.") {
		return name
	}
	if base, ok := strings.CutSuffix(name, ".gamma"); ok {
		return base + ".weight"
	}
	if base, ok := strings.CutSuffix(name, ".beta"); ok {
		return base + ".bias"
	}
	return name
}

// isBuffer reports names of non-weight buffers a state dict may carry.
func isBuffer(name string) bool {
	return strings.HasSuffix(name, "position_ids") || strings.HasSuffix(name, "token_type_ids")
}

// isHead reports tensors of pretraining or task heads that sit on top of
// the encoder (BertForPreTraining's cls.*, RobertaForMaskedLM's lm_head.*,
// the classifier.* of sequence classification). They are not part of an
// embedding model.
func isHead(name string) bool {
	return strings.HasPrefix(name, "cls.") || strings.HasPrefix(name, "classifier.") || strings.HasPrefix(name, "lm_head.")
}

// selectTensors renames the raw state dict, checks it holds exactly the
// expected tensors with the expected shapes, and returns them in forward
// order. Heads are dropped and noted in source.
func selectTensors(raw map[string]Weight, c bertConfig, source map[string]string) ([]bert.TensorSpec, map[string]Weight, error) {
	named := make(map[string]Weight, len(raw))
	var heads []string
	for name, w := range raw {
		if isBuffer(name) {
			continue
		}
		if isHead(name) {
			heads = append(heads, name)
			continue
		}
		cn := canonicalName(name)
		if _, dup := named[cn]; dup {
			return nil, nil, fmt.Errorf("tensor %s appears twice (as %s and another spelling)", cn, name)
		}
		named[cn] = w
	}
	_, pooler := named["pooler.dense.weight"]
	specs := bert.Tensors(bert.Config(c), pooler)
	var missing, badShape []string
	for _, s := range specs {
		w, ok := named[s.Name]
		if !ok {
			missing = append(missing, s.Name)
		} else if !slices.Equal(w.Shape, s.Shape) {
			badShape = append(badShape, fmt.Sprintf("%s %v (want %v)", s.Name, w.Shape, s.Shape))
		}
	}
	want := make(map[string]bool, len(specs))
	for _, s := range specs {
		want[s.Name] = true
	}
	var unexpected []string
	for name := range named {
		if !want[name] {
			unexpected = append(unexpected, name)
		}
	}
	sort.Strings(unexpected)
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing: "+strings.Join(missing, ", "))
	}
	if len(unexpected) > 0 {
		problems = append(problems, "unexpected: "+strings.Join(unexpected, ", "))
	}
	if len(badShape) > 0 {
		problems = append(problems, "wrong shape: "+strings.Join(badShape, ", "))
	}
	if len(problems) > 0 {
		return nil, nil, fmt.Errorf("checkpoint tensors do not match config.json: %s", strings.Join(problems, "; "))
	}
	if len(heads) > 0 {
		sort.Strings(heads)
		source["dropped_heads"] = strings.Join(heads, ",")
	}
	return specs, named, nil
}
