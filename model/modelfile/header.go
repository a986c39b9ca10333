package modelfile

// Magic opens every model file.
const Magic = "WASMBERT"

// Version is the format version this package reads and writes.
const Version = 1

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
}

// TokenizerConfig carries everything a BERT WordPiece tokenizer needs: the
// vocabulary (index = token id) and the options of HF BertTokenizer.
type TokenizerConfig struct {
	Vocab       []string `json:"vocab"`
	DoLowerCase bool     `json:"do_lower_case"`
	// StripAccents nil means "follow DoLowerCase", as in HF.
	StripAccents         *bool  `json:"strip_accents"`
	TokenizeChineseChars bool   `json:"tokenize_chinese_chars"`
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
}

// PoolingConfig is the default pooling of the model.
type PoolingConfig struct {
	Mode      string `json:"mode"` // "mean", "cls" or "max"
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
	// SHA256 is the lowercase hex digest of the Size data bytes.
	SHA256    string `json:"sha256"`
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
