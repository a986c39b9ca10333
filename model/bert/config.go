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
	// ModelType is HF's model_type: "bert" (or empty), "roberta" or
	// "xlm-roberta". The RoBERTa family numbers positions from
	// PadTokenID+1 (see positionIDs); the encoder is otherwise the same.
	ModelType string
}

// Model types the encoder runs.
const (
	TypeBERT       = "bert"
	TypeRoBERTa    = "roberta"
	TypeXLMRoBERTa = "xlm-roberta"
)

// offsetPositions reports whether positions start after PadTokenID, as
// in RoBERTa's embeddings.
func (c Config) offsetPositions() bool {
	return c.ModelType == TypeRoBERTa || c.ModelType == TypeXLMRoBERTa
}

// MaxTokens is the longest sequence the position table holds: all of it
// for BERT, PadTokenID+1 rows fewer for RoBERTa (514 rows, 512 tokens).
func (c Config) MaxTokens() int {
	if c.offsetPositions() {
		return c.MaxPositionEmbeddings - c.PadTokenID - 1
	}
	return c.MaxPositionEmbeddings
}

// positionIDs writes the position id of each token of one sequence into
// pos: its index for BERT; for RoBERTa, HF's
// create_position_ids_from_input_ids: PadTokenID for a pad token, else
// PadTokenID plus the number of non-pad tokens up to and including it.
func (c Config) positionIDs(ids []int32, pos []int) {
	if !c.offsetPositions() {
		for i := range pos {
			pos[i] = i
		}
		return
	}
	n := 0
	for i, id := range ids {
		if int(id) == c.PadTokenID {
			pos[i] = c.PadTokenID
			continue
		}
		n++
		pos[i] = c.PadTokenID + n
	}
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
	switch c.ModelType {
	case "", TypeBERT, TypeRoBERTa, TypeXLMRoBERTa:
	default:
		return errfmt.Errorf("bert config: model_type %q not supported (want %s, %s or %s)", c.ModelType, TypeBERT, TypeRoBERTa, TypeXLMRoBERTa)
	}
	if c.PadTokenID < 0 || c.PadTokenID >= c.VocabSize {
		return errfmt.Errorf("bert config: pad_token_id %d outside vocabulary of %d", c.PadTokenID, c.VocabSize)
	}
	if c.MaxTokens() <= 0 {
		return errfmt.Errorf("bert config: max_position_embeddings %d leaves no position after pad_token_id %d", c.MaxPositionEmbeddings, c.PadTokenID)
	}
	return nil
}
