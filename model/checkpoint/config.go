package checkpoint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

type bertConfig = modelfile.BertConfig

// readConfig reads config.json, filling HF's defaults for fields older
// configs omit, and rejects configs the encoder cannot run.
func readConfig(dir string) (bertConfig, error) {
	c := bertConfig{TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu", MaxPositionEmbeddings: 512}
	var extra struct {
		ModelType             string `json:"model_type"`
		PositionEmbeddingType string `json:"position_embedding_type"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("config.json: %w", err)
	}
	if err := json.Unmarshal(b, &extra); err != nil {
		return c, fmt.Errorf("config.json: %w", err)
	}
	switch {
	case extra.ModelType != "" && extra.ModelType != "bert":
		return c, fmt.Errorf("config.json: model_type %q, want bert", extra.ModelType)
	case extra.PositionEmbeddingType != "" && extra.PositionEmbeddingType != "absolute":
		return c, fmt.Errorf("config.json: position_embedding_type %q not supported (want absolute)", extra.PositionEmbeddingType)
	case c.VocabSize <= 0 || c.HiddenSize <= 0 || c.NumHiddenLayers <= 0 || c.NumAttentionHeads <= 0 || c.IntermediateSize <= 0 || c.MaxPositionEmbeddings <= 0 || c.TypeVocabSize <= 0:
		return c, fmt.Errorf("config.json: sizes must be positive: %+v", c)
	case c.HiddenSize%c.NumAttentionHeads != 0:
		return c, fmt.Errorf("config.json: hidden_size %d not divisible by num_attention_heads %d", c.HiddenSize, c.NumAttentionHeads)
	}
	switch c.HiddenAct {
	case "gelu", "gelu_new", "gelu_pytorch_tanh", "relu":
	default:
		return c, fmt.Errorf("config.json: hidden_act %q not supported (want gelu, gelu_new, gelu_pytorch_tanh or relu)", c.HiddenAct)
	}
	return c, nil
}
