package checkpoint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wasmbert/wasmbert/model/bert"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

type bertConfig = modelfile.BertConfig

// readConfig reads config.json, filling HF's defaults for fields older
// configs omit, and rejects configs the encoder cannot run.
func readConfig(dir string) (bertConfig, error) {
	c := bertConfig{TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu", MaxPositionEmbeddings: 512}
	var extra struct {
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
	switch c.ModelType {
	case bert.TypeBERT:
		// Stored as empty, so BERT files stay as they were before model_type was stored.
		c.ModelType = ""
	case "", bert.TypeRoBERTa, bert.TypeXLMRoBERTa:
	default:
		return c, fmt.Errorf("config.json: model_type %q, want %s, %s or %s", c.ModelType, bert.TypeBERT, bert.TypeRoBERTa, bert.TypeXLMRoBERTa)
	}
	switch {
	case extra.PositionEmbeddingType != "" && extra.PositionEmbeddingType != "absolute":
		return c, fmt.Errorf("config.json: position_embedding_type %q not supported (want absolute)", extra.PositionEmbeddingType)
	}
	// The encoder decides what it can run, so the converter accepts
	// exactly the configs the engine loads.
	if err := bert.Config(c).Validate(); err != nil {
		return c, fmt.Errorf("config.json: %w", err)
	}
	return c, nil
}
