package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// readPooling reads the sentence-transformers modules: the pooling mode from
// the Pooling module's config, normalize if a Normalize module is listed,
// and max_seq_length from sentence_bert_config.json. A plain BERT checkpoint
// (no modules.json) gets CLS pooling without normalization, the pooler-free
// equivalent of what BertModel returns.
func readPooling(dir string) (modelfile.PoolingConfig, int, error) {
	pc := modelfile.PoolingConfig{Mode: "cls"}
	b, err := os.ReadFile(filepath.Join(dir, "modules.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return pc, 0, nil
	}
	if err != nil {
		return pc, 0, err
	}
	var modules []struct {
		Path string `json:"path"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &modules); err != nil {
		return pc, 0, fmt.Errorf("modules.json: %w", err)
	}
	for _, m := range modules {
		switch {
		case strings.HasSuffix(m.Type, ".Pooling"):
			mode, err := readPoolingMode(filepath.Join(dir, m.Path, "config.json"))
			if err != nil {
				return pc, 0, err
			}
			pc.Mode = mode
		case strings.HasSuffix(m.Type, ".Normalize"):
			pc.Normalize = true
		case strings.HasSuffix(m.Type, ".Transformer"):
		default:
			return pc, 0, fmt.Errorf("modules.json: module %s not supported", m.Type)
		}
	}
	maxSeq, err := readMaxSeqLength(dir)
	return pc, maxSeq, err
}

func readPoolingMode(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("pooling config: %w", err)
	}
	var c struct {
		CLS      bool   `json:"pooling_mode_cls_token"`
		Mean     bool   `json:"pooling_mode_mean_tokens"`
		Max      bool   `json:"pooling_mode_max_tokens"`
		MeanSqrt bool   `json:"pooling_mode_mean_sqrt_len_tokens"`
		Weighted bool   `json:"pooling_mode_weightedmean_tokens"`
		Last     bool   `json:"pooling_mode_lasttoken"`
		Mode     string `json:"pooling_mode"`
		// IncludePrompt false (INSTRUCTOR-style) pools without the prompt's
		// tokens; the engine pools every token.
		IncludePrompt *bool `json:"include_prompt"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if c.IncludePrompt != nil && !*c.IncludePrompt {
		return "", fmt.Errorf("%s: include_prompt false not supported (the prompt's tokens are always pooled)", path)
	}
	var modes []string
	for _, m := range []struct {
		on   bool
		name string
	}{{c.CLS, "cls"}, {c.Mean, "mean"}, {c.Max, "max"}, {c.MeanSqrt, "mean_sqrt_len"}, {c.Weighted, "weightedmean"}, {c.Last, "lasttoken"}} {
		if m.on {
			modes = append(modes, m.name)
		}
	}
	if len(modes) == 0 && c.Mode != "" {
		modes = []string{c.Mode}
	}
	if len(modes) != 1 || (modes[0] != "cls" && modes[0] != "mean" && modes[0] != "max") {
		return "", fmt.Errorf("%s: pooling %v not supported (want exactly one of cls, mean, max)", path, modes)
	}
	return modes[0], nil
}

func readMaxSeqLength(dir string) (int, error) {
	b, err := os.ReadFile(filepath.Join(dir, "sentence_bert_config.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var c struct {
		MaxSeqLength int `json:"max_seq_length"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return 0, fmt.Errorf("sentence_bert_config.json: %w", err)
	}
	return c.MaxSeqLength, nil
}
