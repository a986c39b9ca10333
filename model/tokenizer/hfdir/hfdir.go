// Package hfdir reads the tokenizer of a Hugging Face model directory
// (tokenizer.json, or vocab.txt with tokenizer_config.json). It is the one
// reader of those files: the converter stores what ReadConfig returns in
// the model file, and the fixture tests hold it to HF tokenizers.
//
// It is a package of its own so that the browser engine, which gets its
// tokenizer from the model file, does not link encoding/json and os.
package hfdir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// Load loads the tokenizer of a Hugging Face model directory (see ReadConfig).
func Load(dir string) (*tokenizer.Tokenizer, error) {
	c, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	t, err := tokenizer.New(c)
	if err != nil {
		return nil, fmt.Errorf("load tokenizer %s: %w", dir, err)
	}
	return t, nil
}

// ReadConfig reads the tokenizer of a Hugging Face model directory:
// tokenizer.json if present, otherwise vocab.txt. tokenizer_config.json, if
// present, supplies the special token names and model_max_length, and for
// vocab.txt also the normalization options (defaults as in BertTokenizer:
// lowercase, strip accents, split CJK). Options the tokenizer cannot honour
// are errors, so whatever ReadConfig returns tokenizes as HF does.
func ReadConfig(dir string) (tokenizer.Config, error) {
	c := tokenizer.Config{DoLowerCase: true, TokenizeChineseChars: true}
	if err := readTokenizerConfig(filepath.Join(dir, "tokenizer_config.json"), &c); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return c, err
	}
	err := readTokenizerJSON(filepath.Join(dir, "tokenizer.json"), &c)
	if errors.Is(err, fs.ErrNotExist) {
		err = readVocabFile(filepath.Join(dir, "vocab.txt"), &c)
		if errors.Is(err, fs.ErrNotExist) {
			return c, fmt.Errorf("no tokenizer: neither tokenizer.json nor vocab.txt in %s", dir)
		}
	}
	return c, err
}

// ReadVocab reads a vocab.txt: one token per line, the line number (from 0) is its id.
func ReadVocab(r io.Reader) ([]string, error) {
	var vocab []string
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			// transformers strips only "\n"; a "\r" left over from a CRLF file would
			// make every token unmatchable, so it goes too.
			vocab = append(vocab, strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"))
		}
		if err == io.EOF {
			return vocab, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func readVocabFile(path string, c *tokenizer.Config) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("load vocabulary: %w", err)
	}
	defer f.Close()
	c.Vocab, err = ReadVocab(f)
	if err != nil {
		return fmt.Errorf("load vocabulary %s: %w", path, err)
	}
	return nil
}

// tokenString is a special token in tokenizer_config.json: a string or {"content": ...}.
type tokenString string

func (s *tokenString) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		var v struct{ Content string }
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = tokenString(v.Content)
		return nil
	}
	return json.Unmarshal(b, (*string)(s))
}

func readTokenizerConfig(path string, c *tokenizer.Config) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load tokenizer config: %w", err)
	}
	var v struct {
		DoLowerCase          *bool       `json:"do_lower_case"`
		StripAccents         *bool       `json:"strip_accents"`
		TokenizeChineseChars *bool       `json:"tokenize_chinese_chars"`
		UnkToken             tokenString `json:"unk_token"`
		ClsToken             tokenString `json:"cls_token"`
		SepToken             tokenString `json:"sep_token"`
		PadToken             tokenString `json:"pad_token"`
		MaskToken            tokenString `json:"mask_token"`
		ModelMaxLength       float64     `json:"model_max_length"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("load tokenizer config %s: %w", path, err)
	}
	if v.DoLowerCase != nil {
		c.DoLowerCase = *v.DoLowerCase
	}
	c.StripAccents = v.StripAccents
	if v.TokenizeChineseChars != nil {
		c.TokenizeChineseChars = *v.TokenizeChineseChars
	}
	c.UnkToken, c.ClsToken, c.SepToken = string(v.UnkToken), string(v.ClsToken), string(v.SepToken)
	c.PadToken, c.MaskToken = string(v.PadToken), string(v.MaskToken)
	// transformers writes a huge number when the model sets no limit.
	if v.ModelMaxLength > 0 && v.ModelMaxLength < 1<<31 {
		c.ModelMaxLength = int(v.ModelMaxLength)
	}
	return nil
}

type addedToken struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	Special    bool   `json:"special"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
}

// tokenizerJSON is the part of a tokenizers tokenizer.json this package reads.
type tokenizerJSON struct {
	AddedTokens []addedToken `json:"added_tokens"`
	Normalizer  *struct {
		Type               string `json:"type"`
		CleanText          bool   `json:"clean_text"`
		HandleChineseChars bool   `json:"handle_chinese_chars"`
		StripAccents       *bool  `json:"strip_accents"`
		Lowercase          bool   `json:"lowercase"`
	} `json:"normalizer"`
	PreTokenizer *struct {
		Type string `json:"type"`
	} `json:"pre_tokenizer"`
	Model struct {
		Type                    string           `json:"type"`
		UnkToken                string           `json:"unk_token"`
		ContinuingSubwordPrefix string           `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    int              `json:"max_input_chars_per_word"`
		Vocab                   map[string]int64 `json:"vocab"`
	} `json:"model"`
}

// readTokenizerJSON reads a tokenizers tokenizer.json. model.type picks the
// reader; WordPiece (BERT) is the one there is.
func readTokenizerJSON(path string, c *tokenizer.Config) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load tokenizer: %w", err)
	}
	var v tokenizerJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("load tokenizer %s: %w", path, err)
	}
	switch v.Model.Type {
	case "WordPiece":
		err = readWordPiece(&v, c)
	default:
		err = fmt.Errorf("unsupported model %q, want WordPiece", v.Model.Type)
	}
	if err != nil {
		return fmt.Errorf("load tokenizer %s: %w", path, err)
	}
	return nil
}

// readWordPiece reads the vocabulary, normalizer options and added tokens
// of a BERT WordPiece tokenizer.json.
func readWordPiece(v *tokenizerJSON, c *tokenizer.Config) error {
	if err := checkWordPiece(v.Model.ContinuingSubwordPrefix, v.PreTokenizer != nil && v.PreTokenizer.Type == "BertPreTokenizer"); err != nil {
		return err
	}
	if n := v.Normalizer; n != nil {
		if n.Type != "BertNormalizer" {
			return fmt.Errorf("unsupported normalizer %q, want BertNormalizer", n.Type)
		}
		c.KeepControlChars = !n.CleanText
		c.TokenizeChineseChars = n.HandleChineseChars
		c.StripAccents = n.StripAccents
		c.DoLowerCase = n.Lowercase
	} else {
		c.KeepControlChars, c.TokenizeChineseChars, c.StripAccents, c.DoLowerCase = true, false, nil, false
	}
	if v.Model.UnkToken != "" {
		c.UnkToken = v.Model.UnkToken
	}
	c.MaxInputCharsPerWord = v.Model.MaxInputCharsPerWord

	size := int64(0)
	grow := func(id int64) error {
		if id < 0 || id >= 1<<31-1 {
			return fmt.Errorf("token id %d out of range", id)
		}
		size = max(size, id+1)
		return nil
	}
	for tok, id := range v.Model.Vocab {
		if err := grow(id); err != nil {
			return fmt.Errorf("%q: %w", tok, err)
		}
	}
	for _, a := range v.AddedTokens {
		if err := grow(int64(a.ID)); err != nil {
			return fmt.Errorf("added token %q: %w", a.Content, err)
		}
	}
	if size > int64(len(v.Model.Vocab)+len(v.AddedTokens)) {
		return fmt.Errorf("token ids are not contiguous (largest %d, %d tokens)", size-1, len(v.Model.Vocab))
	}
	vocab := make([]string, size)
	set := make([]bool, size)
	for tok, id := range v.Model.Vocab {
		vocab[id], set[id] = tok, true
	}
	for _, a := range v.AddedTokens {
		if a.Normalized || a.LStrip || a.RStrip || a.SingleWord {
			return fmt.Errorf("added token %q: only tokens matched verbatim are supported (normalized, lstrip, rstrip and single_word must be false)", a.Content)
		}
		vocab[a.ID], set[a.ID] = a.Content, true
		c.ExtraSpecialTokens = append(c.ExtraSpecialTokens, a.Content)
	}
	for id, ok := range set {
		if !ok {
			return fmt.Errorf("no token has id %d", id)
		}
	}
	c.Vocab = vocab
	return nil
}

func checkWordPiece(prefix string, bertPreTokenizer bool) error {
	switch {
	case prefix != tokenizer.ContinuingSubwordPrefix:
		return fmt.Errorf("unsupported continuing_subword_prefix %q, want %q", prefix, tokenizer.ContinuingSubwordPrefix)
	case !bertPreTokenizer:
		return errors.New("unsupported pre_tokenizer, want BertPreTokenizer")
	}
	return nil
}

// ReadModelMaxLength returns the model_max_length of dir's tokenizer_config.json,
// 0 when the file or the key is missing or says "no limit" (transformers' 1e30).
// ReadConfig reads it for WordPiece; BPE and Unigram tokenizers need it beside their
// tokenizer.json.
func ReadModelMaxLength(dir string) (int, error) {
	var c tokenizer.Config
	err := readTokenizerConfig(filepath.Join(dir, "tokenizer_config.json"), &c)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	return c.ModelMaxLength, err
}
