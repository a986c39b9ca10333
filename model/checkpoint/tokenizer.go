package checkpoint

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// readTokenizer records the vocabulary and options of the checkpoint's
// tokenizer: from tokenizer.json when present, else vocab.txt with
// tokenizer_config.json. model_max_length comes from tokenizer_config.json
// either way, since tokenizer.json does not carry it.
func readTokenizer(dir string) (modelfile.TokenizerConfig, error) {
	tc := modelfile.TokenizerConfig{
		DoLowerCase: true, TokenizeChineseChars: true,
		UnkToken: "[UNK]", SepToken: "[SEP]", PadToken: "[PAD]", ClsToken: "[CLS]", MaskToken: "[MASK]",
	}
	if err := readTokenizerConfig(dir, &tc); err != nil {
		return tc, err
	}
	err := readTokenizerJSON(filepath.Join(dir, "tokenizer.json"), &tc)
	if errors.Is(err, fs.ErrNotExist) {
		err = readVocabTxt(filepath.Join(dir, "vocab.txt"), &tc)
		if errors.Is(err, fs.ErrNotExist) {
			return tc, fmt.Errorf("no tokenizer: neither tokenizer.json nor vocab.txt in %s", dir)
		}
	}
	if err != nil {
		return tc, err
	}
	index := make(map[string]bool, len(tc.Vocab))
	for _, v := range tc.Vocab {
		index[v] = true
	}
	for _, tok := range []string{tc.UnkToken, tc.SepToken, tc.PadToken, tc.ClsToken} {
		if !index[tok] {
			return tc, fmt.Errorf("special token %q is not in the vocabulary", tok)
		}
	}
	return tc, nil
}

func readTokenizerConfig(dir string, tc *modelfile.TokenizerConfig) error {
	b, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var c struct {
		DoLowerCase          *bool           `json:"do_lower_case"`
		StripAccents         *bool           `json:"strip_accents"`
		TokenizeChineseChars *bool           `json:"tokenize_chinese_chars"`
		UnkToken             json.RawMessage `json:"unk_token"`
		SepToken             json.RawMessage `json:"sep_token"`
		PadToken             json.RawMessage `json:"pad_token"`
		ClsToken             json.RawMessage `json:"cls_token"`
		MaskToken            json.RawMessage `json:"mask_token"`
		ModelMaxLength       float64         `json:"model_max_length"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return fmt.Errorf("tokenizer_config.json: %w", err)
	}
	if c.DoLowerCase != nil {
		tc.DoLowerCase = *c.DoLowerCase
	}
	tc.StripAccents = c.StripAccents
	if c.TokenizeChineseChars != nil {
		tc.TokenizeChineseChars = *c.TokenizeChineseChars
	}
	for _, s := range []struct {
		raw json.RawMessage
		dst *string
	}{{c.UnkToken, &tc.UnkToken}, {c.SepToken, &tc.SepToken}, {c.PadToken, &tc.PadToken}, {c.ClsToken, &tc.ClsToken}, {c.MaskToken, &tc.MaskToken}} {
		if tok := tokenString(s.raw); tok != "" {
			*s.dst = tok
		}
	}
	// HF writes a huge sentinel (1e30) when there is no limit.
	if c.ModelMaxLength > 0 && c.ModelMaxLength < 1<<31 {
		tc.ModelMaxLength = int(c.ModelMaxLength)
	}
	return nil
}

// tokenString accepts a special token written as "[UNK]" or as an
// AddedToken object {"content": "[UNK]", ...}.
func tokenString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Content string `json:"content"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Content
	}
	return ""
}

func readTokenizerJSON(path string, tc *modelfile.TokenizerConfig) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var tj struct {
		Model struct {
			Type                    string         `json:"type"`
			Vocab                   map[string]int `json:"vocab"`
			UnkToken                string         `json:"unk_token"`
			ContinuingSubwordPrefix string         `json:"continuing_subword_prefix"`
		} `json:"model"`
		Normalizer *struct {
			Type               string `json:"type"`
			Lowercase          *bool  `json:"lowercase"`
			StripAccents       *bool  `json:"strip_accents"`
			HandleChineseChars *bool  `json:"handle_chinese_chars"`
		} `json:"normalizer"`
		AddedTokens []struct {
			ID      int    `json:"id"`
			Content string `json:"content"`
		} `json:"added_tokens"`
	}
	if err := json.Unmarshal(b, &tj); err != nil {
		return fmt.Errorf("tokenizer.json: %w", err)
	}
	if tj.Model.Type != "WordPiece" {
		return fmt.Errorf("tokenizer.json: model type %q, want WordPiece", tj.Model.Type)
	}
	if p := tj.Model.ContinuingSubwordPrefix; p != "" && p != "##" {
		return fmt.Errorf("tokenizer.json: continuing_subword_prefix %q, want ##", p)
	}
	vocab := map[string]int{}
	for tok, id := range tj.Model.Vocab {
		vocab[tok] = id
	}
	for _, at := range tj.AddedTokens {
		vocab[at.Content] = at.ID
		tc.AddedTokens = append(tc.AddedTokens, at.Content)
	}
	list, err := vocabList(vocab)
	if err != nil {
		return fmt.Errorf("tokenizer.json: %w", err)
	}
	tc.Vocab = list
	if tj.Model.UnkToken != "" {
		tc.UnkToken = tj.Model.UnkToken
	}
	if n := tj.Normalizer; n != nil && n.Type == "BertNormalizer" {
		if n.Lowercase != nil {
			tc.DoLowerCase = *n.Lowercase
		}
		tc.StripAccents = n.StripAccents
		if n.HandleChineseChars != nil {
			tc.TokenizeChineseChars = *n.HandleChineseChars
		}
	}
	return nil
}

// vocabList turns token→id into a dense id-indexed list.
func vocabList(vocab map[string]int) ([]string, error) {
	list := make([]string, len(vocab))
	filled := make([]bool, len(vocab))
	for tok, id := range vocab {
		if id < 0 || id >= len(list) {
			return nil, fmt.Errorf("token %q has id %d outside 0..%d", tok, id, len(list)-1)
		}
		if filled[id] {
			return nil, fmt.Errorf("id %d used by %q and %q", id, list[id], tok)
		}
		list[id], filled[id] = tok, true
	}
	return list, nil
}

func readVocabTxt(path string, tc *modelfile.TokenizerConfig) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var vocab []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		vocab = append(vocab, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("vocab.txt: %w", err)
	}
	if len(vocab) == 0 {
		return fmt.Errorf("vocab.txt: empty")
	}
	tc.Vocab = vocab
	return nil
}
