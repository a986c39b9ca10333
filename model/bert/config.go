package bert

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// Config is the HF BertConfig subset the encoder needs, as stored in the
// model file header.
type Config = modelfile.BertConfig

// maxDim bounds every size in a Config so that products of sizes cannot
// overflow and a corrupt header fails here instead of in an allocation.
const maxDim = 1 << 20

func validateConfig(c Config) error {
	sizes := []struct {
		name string
		v    int
	}{
		{"vocab_size", c.VocabSize},
		{"hidden_size", c.HiddenSize},
		{"num_hidden_layers", c.NumHiddenLayers},
		{"num_attention_heads", c.NumAttentionHeads},
		{"intermediate_size", c.IntermediateSize},
		{"max_position_embeddings", c.MaxPositionEmbeddings},
		{"type_vocab_size", c.TypeVocabSize},
	}
	for _, s := range sizes {
		if s.v <= 0 || s.v > maxDim {
			return errfmt.Errorf("bert config: %s = %d out of range", s.name, s.v)
		}
	}
	if c.HiddenSize%c.NumAttentionHeads != 0 {
		return errfmt.Errorf("bert config: hidden_size %d not divisible by num_attention_heads %d", c.HiddenSize, c.NumAttentionHeads)
	}
	if !(c.LayerNormEps > 0 && c.LayerNormEps < 1) {
		return errfmt.Errorf("bert config: layer_norm_eps = %g out of range", c.LayerNormEps)
	}
	if _, err := parseActivation(c.HiddenAct); err != nil {
		return errfmt.Errorf("bert config: %w", err)
	}
	return nil
}
