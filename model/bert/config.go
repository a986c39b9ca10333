package bert

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Config is the HF BertConfig subset the encoder needs. The model file
// stores the same fields (modelfile.BertConfig converts to it); the
// package owns what a valid one is (Validate) and which tensors it needs
// (Tensors).
type Config struct {
	VocabSize             int
	HiddenSize            int
	NumHiddenLayers       int
	NumAttentionHeads     int
	IntermediateSize      int
	MaxPositionEmbeddings int
	TypeVocabSize         int
	LayerNormEps          float64
	HiddenAct             string // gelu, gelu_new, gelu_pytorch_tanh, gelu_fast or relu
	PadTokenID            int
}

// maxDim bounds every size in a Config so that products of sizes cannot
// overflow and a corrupt header fails here instead of in an allocation.
const maxDim = 1 << 20

// Validate reports a config the encoder cannot run: sizes out of range, a
// hidden size the heads do not divide, an unsupported activation.
func (c Config) Validate() error {
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
