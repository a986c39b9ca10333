package checkpoint

import (
	"fmt"
	"sort"
	"strings"
)

// canonicalName maps an HF state-dict name to the model-file name: without
// the "bert." prefix, and with the legacy LayerNorm.gamma/beta spelled
// weight/bias.
func canonicalName(name string) string {
	name = strings.TrimPrefix(name, "bert.")
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
// the encoder (BertForPreTraining's cls.*, BertForSequenceClassification's
// classifier.*). They are not part of an embedding model.
func isHead(name string) bool {
	return strings.HasPrefix(name, "cls.") || strings.HasPrefix(name, "classifier.")
}

// expectedTensors lists the encoder's tensors in forward order, with their
// shapes; the pooler is optional and handled by the caller.
func expectedTensors(c bertConfig) []tensorSpec {
	h, in := c.HiddenSize, c.IntermediateSize
	specs := []tensorSpec{
		{"embeddings.word_embeddings.weight", []int{c.VocabSize, h}},
		{"embeddings.position_embeddings.weight", []int{c.MaxPositionEmbeddings, h}},
		{"embeddings.token_type_embeddings.weight", []int{c.TypeVocabSize, h}},
		{"embeddings.LayerNorm.weight", []int{h}},
		{"embeddings.LayerNorm.bias", []int{h}},
	}
	for l := range c.NumHiddenLayers {
		p := fmt.Sprintf("encoder.layer.%d.", l)
		specs = append(specs,
			tensorSpec{p + "attention.self.query.weight", []int{h, h}},
			tensorSpec{p + "attention.self.query.bias", []int{h}},
			tensorSpec{p + "attention.self.key.weight", []int{h, h}},
			tensorSpec{p + "attention.self.key.bias", []int{h}},
			tensorSpec{p + "attention.self.value.weight", []int{h, h}},
			tensorSpec{p + "attention.self.value.bias", []int{h}},
			tensorSpec{p + "attention.output.dense.weight", []int{h, h}},
			tensorSpec{p + "attention.output.dense.bias", []int{h}},
			tensorSpec{p + "attention.output.LayerNorm.weight", []int{h}},
			tensorSpec{p + "attention.output.LayerNorm.bias", []int{h}},
			tensorSpec{p + "intermediate.dense.weight", []int{in, h}},
			tensorSpec{p + "intermediate.dense.bias", []int{in}},
			tensorSpec{p + "output.dense.weight", []int{h, in}},
			tensorSpec{p + "output.dense.bias", []int{h}},
			tensorSpec{p + "output.LayerNorm.weight", []int{h}},
			tensorSpec{p + "output.LayerNorm.bias", []int{h}},
		)
	}
	return specs
}

var poolerTensors = func(h int) []tensorSpec {
	return []tensorSpec{{"pooler.dense.weight", []int{h, h}}, {"pooler.dense.bias", []int{h}}}
}

type tensorSpec struct {
	name  string
	shape []int
}

// selectTensors renames the raw state dict, checks it holds exactly the
// expected tensors with the expected shapes, and returns them in forward
// order. Heads are dropped and noted in source.
func selectTensors(raw map[string]Weight, c bertConfig, source map[string]string) ([]tensorSpec, map[string]Weight, error) {
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
	specs := expectedTensors(c)
	if _, ok := named["pooler.dense.weight"]; ok {
		specs = append(specs, poolerTensors(c.HiddenSize)...)
	}
	var missing, badShape []string
	for _, s := range specs {
		w, ok := named[s.name]
		if !ok {
			missing = append(missing, s.name)
		} else if !sameShape(w.Shape, s.shape) {
			badShape = append(badShape, fmt.Sprintf("%s %v (want %v)", s.name, w.Shape, s.shape))
		}
	}
	want := make(map[string]bool, len(specs))
	for _, s := range specs {
		want[s.name] = true
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

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
