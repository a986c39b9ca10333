package tokenizer

import (
	"errors"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/internal/freelist"
)

// Config describes a tokenizer completely; the model file stores one.
type Config struct {
	// Vocab lists the tokens by id. If a token appears twice, the later id wins, as when
	// HF reads vocab.txt.
	Vocab []string
	// DoLowerCase lowercases the text before splitting it into words.
	DoLowerCase bool
	// StripAccents removes nonspacing marks after NFD. Nil follows DoLowerCase.
	StripAccents *bool
	// TokenizeChineseChars makes every CJK ideograph a word of its own.
	TokenizeChineseChars bool
	// KeepControlChars turns off clean_text (removing control and format characters,
	// mapping whitespace to spaces), which BERT tokenizers always use.
	KeepControlChars bool

	UnkToken, ClsToken, SepToken, PadToken, MaskToken string
	// ExtraSpecialTokens are further tokens kept whole when they appear in the text;
	// each must be in Vocab.
	ExtraSpecialTokens []string
	// MaxInputCharsPerWord: longer words become UnkToken. Zero means 100.
	MaxInputCharsPerWord int
	// ModelMaxLength is the longest input the model accepts, special tokens included.
	// It is informational: Encode truncates to the length it is given.
	ModelMaxLength int
}

// Tokenizer encodes text into BERT input ids. It is immutable and safe for concurrent use.
type Tokenizer struct {
	cfg          Config
	stripAccents bool
	vocab        map[string]int32
	tokens       []string
	// specials are matched in the original text, longest first at each position.
	specials                 []string
	specialIDs               []int32
	specialFirst             [256]bool
	unk, cls, sep, pad, mask int32
	scratch                  freelist.List[scratch]
}

// scratch holds per-call buffers reused through Tokenizer.scratch.
type scratch struct {
	a, b sequence
	norm []normRune
	tmp  []rune
	word []byte
	pos  []int
	key  []byte
}

// New builds a tokenizer from c, filling defaults for empty special tokens
// ([UNK], [CLS], [SEP], [PAD], [MASK]) and MaxInputCharsPerWord (100).
func New(c Config) (*Tokenizer, error) {
	if len(c.Vocab) == 0 {
		return nil, errors.New("tokenizer: empty vocabulary")
	}
	if len(c.Vocab) > 1<<31-1 {
		return nil, errfmt.Errorf("tokenizer: vocabulary of %d tokens is too large", len(c.Vocab))
	}
	c.Vocab = append([]string(nil), c.Vocab...)
	c.ExtraSpecialTokens = append([]string(nil), c.ExtraSpecialTokens...)
	if c.StripAccents != nil {
		v := *c.StripAccents
		c.StripAccents = &v
	}
	for _, d := range []struct {
		p   *string
		def string
	}{{&c.UnkToken, "[UNK]"}, {&c.ClsToken, "[CLS]"}, {&c.SepToken, "[SEP]"}, {&c.PadToken, "[PAD]"}, {&c.MaskToken, "[MASK]"}} {
		if *d.p == "" {
			*d.p = d.def
		}
	}
	if c.MaxInputCharsPerWord == 0 {
		c.MaxInputCharsPerWord = 100
	}
	if c.MaxInputCharsPerWord < 0 {
		return nil, errfmt.Errorf("tokenizer: negative MaxInputCharsPerWord %d", c.MaxInputCharsPerWord)
	}
	if c.ModelMaxLength < 0 {
		return nil, errfmt.Errorf("tokenizer: negative ModelMaxLength %d", c.ModelMaxLength)
	}

	t := &Tokenizer{cfg: c, tokens: c.Vocab, vocab: make(map[string]int32, len(c.Vocab))}
	t.stripAccents = c.DoLowerCase
	if c.StripAccents != nil {
		t.stripAccents = *c.StripAccents
	}
	for i, tok := range c.Vocab {
		t.vocab[tok] = int32(i)
	}
	var err error
	lookup := func(name, tok string) int32 {
		id, ok := t.vocab[tok]
		if !ok && err == nil {
			err = errfmt.Errorf("tokenizer: %s token %q is not in the vocabulary", name, tok)
		}
		return id
	}
	t.unk = lookup("unknown", c.UnkToken)
	t.cls = lookup("classifier", c.ClsToken)
	t.sep = lookup("separator", c.SepToken)
	t.pad = lookup("padding", c.PadToken)
	t.mask = lookup("mask", c.MaskToken)
	seen := map[string]bool{}
	for _, tok := range append([]string{c.PadToken, c.UnkToken, c.ClsToken, c.SepToken, c.MaskToken}, c.ExtraSpecialTokens...) {
		if tok == "" {
			return nil, errors.New("tokenizer: empty special token")
		}
		if seen[tok] {
			continue
		}
		seen[tok] = true
		t.specials = append(t.specials, tok)
		t.specialIDs = append(t.specialIDs, lookup("special", tok))
		t.specialFirst[tok[0]] = true
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Config returns the configuration with defaults filled in.
func (t *Tokenizer) Config() Config {
	c := t.cfg
	c.Vocab = append([]string(nil), c.Vocab...)
	c.ExtraSpecialTokens = append([]string(nil), c.ExtraSpecialTokens...)
	if c.StripAccents != nil {
		v := *c.StripAccents
		c.StripAccents = &v
	}
	return c
}

// VocabSize is the number of token ids.
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// TokenID returns the id of token s.
func (t *Tokenizer) TokenID(s string) (int32, bool) {
	id, ok := t.vocab[s]
	return id, ok
}

// Token returns the token with the given id, or "" if id is out of range.
func (t *Tokenizer) Token(id int32) string {
	if id < 0 || int(id) >= len(t.tokens) {
		return ""
	}
	return t.tokens[id]
}

// UnkID, ClsID, SepID, PadID and MaskID are the ids of the special tokens.
func (t *Tokenizer) UnkID() int32  { return t.unk }
func (t *Tokenizer) ClsID() int32  { return t.cls }
func (t *Tokenizer) SepID() int32  { return t.sep }
func (t *Tokenizer) PadID() int32  { return t.pad }
func (t *Tokenizer) MaskID() int32 { return t.mask }
