package modelfile

import "github.com/wasmbert/wasmbert/model/tokenizer"

// Magic opens every model file.
const Magic = "WASMBERT"

// Version is the format version this package reads and writes. Version 2
// replaced version 1's per-tensor SHA-256 with CRC32C, added the header
// checksum and stores every option the tokenizer honours; version 1 files
// are rejected with an error that says to convert again.
const Version = 2

// FormatName is the value of Header.Format.
const FormatName = "wasmbert"

// Header is the JSON header of a model file.
type Header struct {
	Format    string            `json:"format"`
	Version   int               `json:"version"`
	Model     BertConfig        `json:"model"`
	Tokenizer TokenizerConfig   `json:"tokenizer"`
	Pooling   PoolingConfig     `json:"pooling"`
	Tensors   []TensorInfo      `json:"tensors"`
	Source    map[string]string `json:"source,omitempty"`
	// Prompts maps a prompt name ("query", "passage") to the text
	// sentence-transformers puts before the input when encoding with that
	// prompt (config_sentence_transformers.json). It is omitted when empty,
	// so files of models without prompts are unchanged.
	Prompts map[string]string `json:"prompts,omitempty"`
	// XLNet holds what an XLNet encoder needs beyond Model (model_type
	// "xlnet"); nil for every other model, whose files it leaves unchanged.
	XLNet *XLNetConfig `json:"xlnet,omitempty"`
}

// ModelTypeXLNet is BertConfig.ModelType of an XLNet model.
const ModelTypeXLNet = "xlnet"

// XLNetConfig is the part of an HF XLNetConfig that BertConfig has no field
// for. Model carries the rest under BERT's names: d_model as hidden_size,
// n_layer as num_hidden_layers, n_head as num_attention_heads, d_inner as
// intermediate_size, ff_activation as hidden_act.
type XLNetConfig struct {
	// DHead is the width of one attention head, which XLNet does not
	// derive from d_model.
	DHead int `json:"d_head"`
	// ClampLen caps relative distances at ±ClampLen when positive.
	ClampLen int `json:"clamp_len"`
}

// BertConfig holds the fields of an HF BertConfig the encoder needs.
type BertConfig struct {
	VocabSize             int     `json:"vocab_size"`
	HiddenSize            int     `json:"hidden_size"`
	NumHiddenLayers       int     `json:"num_hidden_layers"`
	NumAttentionHeads     int     `json:"num_attention_heads"`
	IntermediateSize      int     `json:"intermediate_size"`
	MaxPositionEmbeddings int     `json:"max_position_embeddings"`
	TypeVocabSize         int     `json:"type_vocab_size"`
	LayerNormEps          float64 `json:"layer_norm_eps"`
	HiddenAct             string  `json:"hidden_act"`
	PadTokenID            int     `json:"pad_token_id"`
	// ModelType is empty for BERT, "roberta" or "xlm-roberta" (positions
	// after pad_token_id, see bert.Config.ModelType), or "xlnet" (the
	// XLNet encoder, configured with Header.XLNet too).
	ModelType string `json:"model_type,omitempty"`
}

// TokenizerConfig.Type values: TokenizerWordPiece (BERT), the default when
// a header leaves the type out; TokenizerBPE (RoBERTa's byte-level BPE) and
// TokenizerUnigram (XLM-R's SentencePiece), whose record is Pipeline.
const (
	TokenizerWordPiece = "wordpiece"
	TokenizerBPE       = tokenizer.SpecBPE
	TokenizerUnigram   = tokenizer.SpecUnigram
)

// TokenizerConfig carries everything the tokenizer needs: its type, the
// vocabulary (index = token id) and its options, one field for each option
// of tokenizer.Config (TokenizerConfig.WordPiece maps them).
type TokenizerConfig struct {
	// Type names the tokenization model: "wordpiece" (the default when
	// empty), "bpe" or "unigram".
	Type        string   `json:"type"`
	Vocab       []string `json:"vocab"`
	DoLowerCase bool     `json:"do_lower_case"`
	// StripAccents nil means "follow DoLowerCase", as in HF.
	StripAccents         *bool `json:"strip_accents"`
	TokenizeChineseChars bool  `json:"tokenize_chinese_chars"`
	// KeepControlChars is HF BertNormalizer's clean_text turned off.
	KeepControlChars bool `json:"keep_control_chars"`
	// MaxInputCharsPerWord: longer words become UnkToken; 0 means 100.
	MaxInputCharsPerWord int    `json:"max_input_chars_per_word"`
	UnkToken             string `json:"unk_token"`
	SepToken             string `json:"sep_token"`
	PadToken             string `json:"pad_token"`
	ClsToken             string `json:"cls_token"`
	MaskToken            string `json:"mask_token"`
	// AddedTokens are never split by the tokenizer (HF added_tokens).
	AddedTokens []string `json:"added_tokens,omitempty"`
	// ModelMaxLength is the tokenizer's model_max_length (0 if unknown).
	ModelMaxLength int `json:"model_max_length"`
	// MaxSeqLength is sentence-transformers' max_seq_length (0 if unknown);
	// when set it is the default truncation length.
	MaxSeqLength int `json:"max_seq_length"`
	// Pipeline is the tokenizer of Type TokenizerBPE or TokenizerUnigram
	// but its vocabulary, which is Vocab (the model's tokens by id).
	Pipeline *tokenizer.PipelineSpec `json:"pipeline,omitempty"`
}

// PoolingConfig is the default pooling of the model.
type PoolingConfig struct {
	Mode      string `json:"mode"` // "mean", "cls", "max" or "lasttoken"
	Normalize bool   `json:"normalize"`
}

// TensorInfo describes one tensor in the data section.
type TensorInfo struct {
	Name  string `json:"name"`
	DType DType  `json:"dtype"`
	Shape []int  `json:"shape"`
	// Offset is relative to the start of the data section, 64-byte aligned.
	Offset int64 `json:"offset"`
	Size   int64 `json:"size"`
	// CRC32C is the CRC-32 (Castagnoli) of the Size data bytes. It catches
	// corruption, not tampering: pin the whole file's SHA-256 for that.
	CRC32C    uint32 `json:"crc32c"`
	GroupSize int    `json:"group_size,omitempty"` // i4 only
}

// Tensor returns the info of the named tensor, or nil.
func (h *Header) Tensor(name string) *TensorInfo {
	for i := range h.Tensors {
		if h.Tensors[i].Name == name {
			return &h.Tensors[i]
		}
	}
	return nil
}
