package tokenizer

// Encoder turns text into model input. *Tokenizer (WordPiece) and *Pipeline (BPE and
// Unigram from tokenizer.json) implement it, so callers need not know the family.
type Encoder interface {
	Encode(text string, maxLen int) Encoding
	EncodePair(a, b string, maxLen int) Encoding
	VocabSize() int
	Token(id int32) string
	TokenID(s string) (int32, bool)
}

var (
	_ Encoder = (*Tokenizer)(nil)
	_ Encoder = (*Pipeline)(nil)
)
