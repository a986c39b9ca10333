package hfdir

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// LoadEncoder loads the tokenizer of a Hugging Face model directory whatever its
// family: a WordPiece tokenizer as Load does, or a BPE (RoBERTa, GPT-2) or Unigram
// (XLM-R, SentencePiece) tokenizer.json as LoadPipeline does.
func LoadEncoder(dir string) (tokenizer.Encoder, error) {
	s, ok, err := LoadPipelineSpec(dir)
	if err != nil {
		return nil, err
	}
	if !ok {
		return Load(dir)
	}
	p, err := s.Build()
	if err != nil {
		return nil, fmt.Errorf("load tokenizer %s: %w", filepath.Join(dir, "tokenizer.json"), err)
	}
	return p, nil
}

// LoadPipelineSpec reads the tokenizer.json of a model directory if its model is BPE
// or Unigram (see ParsePipelineSpec); ok is false for a WordPiece tokenizer
// (tokenizer.json with a WordPiece model, or no tokenizer.json), which ReadConfig reads.
func LoadPipelineSpec(dir string) (s *tokenizer.PipelineSpec, ok bool, err error) {
	path := filepath.Join(dir, "tokenizer.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load tokenizer: %w", err)
	}
	var v struct {
		Model *struct {
			Type string `json:"type"`
		} `json:"model"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, false, fmt.Errorf("load tokenizer %s: %w", path, err)
	}
	if v.Model == nil {
		return nil, false, fmt.Errorf("load tokenizer %s: model: missing", path)
	}
	switch v.Model.Type {
	case "WordPiece":
		return nil, false, nil
	case "BPE", "Unigram":
		s, err := ParsePipelineSpec(path, b)
		return s, err == nil, err
	}
	return nil, false, fmt.Errorf("load tokenizer %s: model.type: unsupported model type %q (want WordPiece, BPE or Unigram)", path, v.Model.Type)
}

// LoadPipeline loads a tokenizer.json whose model is BPE or Unigram.
func LoadPipeline(path string) (*tokenizer.Pipeline, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load tokenizer: %w", err)
	}
	return ParsePipeline(path, b)
}

// ParsePipeline builds a pipeline from the contents of a tokenizer.json; name is used
// in errors, which name the field at fault.
func ParsePipeline(name string, b []byte) (*tokenizer.Pipeline, error) {
	s, err := ParsePipelineSpec(name, b)
	if err != nil {
		return nil, err
	}
	p, err := s.Build()
	if err != nil {
		return nil, fmt.Errorf("load tokenizer %s: %w", name, err)
	}
	return p, nil
}

// ParsePipelineSpec reads the contents of a tokenizer.json with a BPE or Unigram
// model as the data a model file stores; its Build, which checks what reading did not
// (merge results, unk_token, unk_id), gives what ParsePipeline does.
func ParsePipelineSpec(name string, b []byte) (*tokenizer.PipelineSpec, error) {
	s, err := parsePipeline(b)
	if err != nil {
		return nil, fmt.Errorf("load tokenizer %s: %w", name, err)
	}
	return s, nil
}

type pipelineJSON struct {
	AddedTokens   []addedToken    `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Model         json.RawMessage `json:"model"`
}

func parsePipeline(b []byte) (*tokenizer.PipelineSpec, error) {
	var v pipelineJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	var s tokenizer.PipelineSpec
	if err := parseModel(v.Model, &s); err != nil {
		return nil, err
	}
	for i, a := range v.AddedTokens {
		if a.ID < 0 || a.ID >= 1<<31-1 {
			return nil, fmt.Errorf("added_tokens[%d] (%q): id %d out of range", i, a.Content, a.ID)
		}
		s.Added = append(s.Added, tokenizer.AddedToken{ID: int32(a.ID), Content: a.Content, Special: a.Special,
			SingleWord: a.SingleWord, LStrip: a.LStrip, RStrip: a.RStrip, Normalized: a.Normalized})
	}
	if _, err := s.Tokens(); err != nil {
		return nil, fmt.Errorf("added_tokens: %w", err)
	}
	var err error
	if s.Normalizers, err = parseNormalizer(v.Normalizer, "normalizer", nil); err != nil {
		return nil, err
	}
	if s.PreTokenizers, err = parsePreTokenizer(v.PreTokenizer, "pre_tokenizer", nil); err != nil {
		return nil, err
	}
	if err := parsePostProcessor(v.PostProcessor, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// parseModel sets the model's fields of s.
func parseModel(raw json.RawMessage, s *tokenizer.PipelineSpec) error {
	var head struct {
		Type string `json:"type"`
	}
	if len(raw) == 0 || string(raw) == "null" {
		return errors.New("model: missing")
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	switch head.Type {
	case "BPE":
		return parseBPE(raw, s)
	case "Unigram":
		return parseUnigram(raw, s)
	}
	return fmt.Errorf("model.type: unsupported model type %q (want BPE or Unigram)", head.Type)
}

func parseBPE(raw json.RawMessage, s *tokenizer.PipelineSpec) error {
	var m struct {
		Dropout                 *float64          `json:"dropout"`
		UnkToken                *string           `json:"unk_token"`
		ContinuingSubwordPrefix *string           `json:"continuing_subword_prefix"`
		EndOfWordSuffix         *string           `json:"end_of_word_suffix"`
		FuseUnk                 bool              `json:"fuse_unk"`
		ByteFallback            bool              `json:"byte_fallback"`
		IgnoreMerges            bool              `json:"ignore_merges"`
		Vocab                   map[string]int64  `json:"vocab"`
		Merges                  []json.RawMessage `json:"merges"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	if m.Dropout != nil && *m.Dropout != 0 {
		return fmt.Errorf("model.dropout: %g is not supported (encoding would be random)", *m.Dropout)
	}
	if m.Vocab == nil {
		return errors.New("model.vocab: missing")
	}
	if m.Merges == nil {
		return errors.New("model.merges: missing")
	}
	vocab, ids, err := vocabByID(m.Vocab)
	if err != nil {
		return err
	}
	s.Model, s.Vocab = tokenizer.SpecBPE, vocab
	s.FuseUnk, s.ByteFallback, s.IgnoreMerges = m.FuseUnk, m.ByteFallback, m.IgnoreMerges
	for _, f := range []struct {
		dst *string
		src *string
	}{{&s.UnkToken, m.UnkToken}, {&s.ContinuingSubwordPrefix, m.ContinuingSubwordPrefix}, {&s.EndOfWordSuffix, m.EndOfWordSuffix}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	for i, r := range m.Merges {
		var pair [2]string
		var line string
		var two []string
		switch {
		case json.Unmarshal(r, &line) == nil:
			a, b, ok := strings.Cut(line, " ")
			if !ok || strings.Contains(b, " ") {
				return fmt.Errorf("model.merges[%d]: %q is not two tokens separated by a space", i, line)
			}
			pair = [2]string{a, b}
		case json.Unmarshal(r, &two) == nil && len(two) == 2:
			pair = [2]string{two[0], two[1]}
		default:
			return fmt.Errorf("model.merges[%d]: want \"a b\" or [\"a\", \"b\"], got %s", i, r)
		}
		a, okA := ids[pair[0]]
		b, okB := ids[pair[1]]
		if !okA || !okB {
			return fmt.Errorf("model.merges[%d] (%q %q): token not in the vocabulary", i, pair[0], pair[1])
		}
		s.Merges = append(s.Merges, a, b)
	}
	return nil
}

// vocabByID checks that the ids of a token → id map are 0 to n-1 and lists the tokens.
func vocabByID(m map[string]int64) ([]string, map[string]int32, error) {
	vocab := make([]string, len(m))
	set := make([]bool, len(m))
	ids := make(map[string]int32, len(m))
	for tok, id := range m {
		if id < 0 || id >= int64(len(m)) {
			return nil, nil, fmt.Errorf("model.vocab: token %q has id %d, outside [0, %d)", tok, id, len(m))
		}
		if set[id] {
			return nil, nil, fmt.Errorf("model.vocab: id %d is given to %q and %q", id, vocab[id], tok)
		}
		vocab[id], set[id] = tok, true
		ids[tok] = int32(id)
	}
	return vocab, ids, nil
}

func parseUnigram(raw json.RawMessage, s *tokenizer.PipelineSpec) error {
	var m struct {
		UnkID        *int              `json:"unk_id"`
		Vocab        []json.RawMessage `json:"vocab"`
		ByteFallback bool              `json:"byte_fallback"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	if m.Vocab == nil {
		return errors.New("model.vocab: missing")
	}
	if m.UnkID == nil {
		return errors.New("model.unk_id: missing (a Unigram model without an unknown token cannot encode unseen text)")
	}
	s.Model, s.UnkID, s.ByteFallback = tokenizer.SpecUnigram, *m.UnkID, m.ByteFallback
	for i, r := range m.Vocab {
		var entry []json.RawMessage
		var piece string
		var score float64
		if json.Unmarshal(r, &entry) != nil || len(entry) != 2 ||
			json.Unmarshal(entry[0], &piece) != nil || json.Unmarshal(entry[1], &score) != nil {
			return fmt.Errorf("model.vocab[%d]: want [piece, score], got %s", i, r)
		}
		if math.IsNaN(score) || math.IsInf(score, 0) {
			return fmt.Errorf("model.vocab[%d]: score %g", i, score)
		}
		s.Vocab = append(s.Vocab, piece)
		s.Scores = append(s.Scores, score)
	}
	return nil
}

// parseNormalizer appends the normalizers raw describes to out, built once so that an
// error names the field at fault.
func parseNormalizer(raw json.RawMessage, field string, out []tokenizer.NormalizerSpec) ([]tokenizer.NormalizerSpec, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return out, nil
	}
	var v struct {
		Type        string            `json:"type"`
		Normalizers []json.RawMessage `json:"normalizers"`
		Charsmap    *string           `json:"precompiled_charsmap"`
		Pattern     struct {
			String *string `json:"String"`
			Regex  *string `json:"Regex"`
		} `json:"pattern"`
		Content    string `json:"content"`
		StripLeft  bool   `json:"strip_left"`
		StripRight bool   `json:"strip_right"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	switch v.Type {
	case "Sequence":
		var err error
		for i, n := range v.Normalizers {
			if out, err = parseNormalizer(n, fmt.Sprintf("%s.normalizers[%d]", field, i), out); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "Precompiled":
		if v.Charsmap == nil {
			return nil, fmt.Errorf("%s.precompiled_charsmap: missing", field)
		}
		b, err := base64.StdEncoding.DecodeString(*v.Charsmap)
		if err != nil {
			return nil, fmt.Errorf("%s.precompiled_charsmap: %w", field, err)
		}
		if len(b) == 0 {
			// An empty charsmap normalizes nothing, as in the reference.
			return out, nil
		}
		n := tokenizer.NormalizerSpec{Type: "precompiled", Charsmap: b}
		if _, err := n.New(); err != nil {
			return nil, fmt.Errorf("%s.precompiled_charsmap: %w", field, err)
		}
		return append(out, n), nil
	case "Replace":
		n := tokenizer.NormalizerSpec{Content: v.Content}
		switch {
		case v.Pattern.String != nil:
			n.Type, n.Pattern = "replace", *v.Pattern.String
		case v.Pattern.Regex != nil:
			n.Type, n.Pattern = "replace_regex", *v.Pattern.Regex
		default:
			return nil, fmt.Errorf("%s.pattern: want {\"String\": ...} or {\"Regex\": ...}", field)
		}
		if _, err := n.New(); err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		return append(out, n), nil
	case "Strip":
		return append(out, tokenizer.NormalizerSpec{Type: "strip", Left: v.StripLeft, Right: v.StripRight}), nil
	case "NFKD":
		return append(out, tokenizer.NormalizerSpec{Type: "nfkd"}), nil
	case "StripAccents":
		return append(out, tokenizer.NormalizerSpec{Type: "strip_accents"}), nil
	case "Lowercase":
		return append(out, tokenizer.NormalizerSpec{Type: "lowercase"}), nil
	}
	return nil, fmt.Errorf("%s.type: unsupported normalizer %q (want Precompiled, Replace, Strip, NFKD, StripAccents, Lowercase or a Sequence of them)", field, v.Type)
}

func parsePreTokenizer(raw json.RawMessage, field string, out []tokenizer.PreTokenizerSpec) ([]tokenizer.PreTokenizerSpec, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return out, nil
	}
	var v struct {
		Type           string            `json:"type"`
		PreTokenizers  []json.RawMessage `json:"pretokenizers"`
		AddPrefixSpace *bool             `json:"add_prefix_space"`
		UseRegex       *bool             `json:"use_regex"`
		Replacement    string            `json:"replacement"`
		PrependScheme  string            `json:"prepend_scheme"`
		Split          *bool             `json:"split"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	switch v.Type {
	case "Sequence":
		var err error
		for i, p := range v.PreTokenizers {
			if out, err = parsePreTokenizer(p, fmt.Sprintf("%s.pretokenizers[%d]", field, i), out); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "ByteLevel":
		return append(out, tokenizer.PreTokenizerSpec{Type: "byte_level", AddPrefixSpace: v.AddPrefixSpace != nil && *v.AddPrefixSpace,
			UseRegex: v.UseRegex == nil || *v.UseRegex}), nil
	case "WhitespaceSplit":
		return append(out, tokenizer.PreTokenizerSpec{Type: "whitespace_split"}), nil
	case "Metaspace":
		rs := []rune(v.Replacement)
		if len(rs) != 1 {
			return nil, fmt.Errorf("%s.replacement: want one character, got %q", field, v.Replacement)
		}
		m := tokenizer.PreTokenizerSpec{Type: "metaspace", Replacement: v.Replacement, Prepend: v.PrependScheme, Split: v.Split == nil || *v.Split}
		switch v.PrependScheme {
		case "always", "first", "never":
		case "":
			// Files written before prepend_scheme existed say add_prefix_space.
			m.Prepend = "always"
			if v.AddPrefixSpace != nil && !*v.AddPrefixSpace {
				m.Prepend = "never"
			}
		default:
			return nil, fmt.Errorf("%s.prepend_scheme: unknown scheme %q (want always, first or never)", field, v.PrependScheme)
		}
		return append(out, m), nil
	}
	return nil, fmt.Errorf("%s.type: unsupported pre-tokenizer %q (want ByteLevel, Metaspace, WhitespaceSplit or a Sequence of them)", field, v.Type)
}

// specialJSON is a [token, id] pair of RobertaProcessing.
type specialJSON struct {
	Token string
	ID    int32
}

func (s *specialJSON) UnmarshalJSON(b []byte) error {
	var v []json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil || len(v) != 2 {
		return fmt.Errorf("want [token, id], got %s", b)
	}
	if err := json.Unmarshal(v[0], &s.Token); err != nil {
		return err
	}
	return json.Unmarshal(v[1], &s.ID)
}

type templatePartJSON struct {
	SpecialToken *struct {
		ID     string `json:"id"`
		TypeID int32  `json:"type_id"`
	}
	Sequence *struct {
		ID     string `json:"id"`
		TypeID int32  `json:"type_id"`
	}
}

func parsePostProcessor(raw json.RawMessage, c *tokenizer.PipelineSpec) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var v struct {
		Type           string             `json:"type"`
		Sep            *specialJSON       `json:"sep"`
		Cls            *specialJSON       `json:"cls"`
		TrimOffsets    bool               `json:"trim_offsets"`
		AddPrefixSpace bool               `json:"add_prefix_space"`
		Single         []templatePartJSON `json:"single"`
		Pair           []templatePartJSON `json:"pair"`
		SpecialTokens  map[string]struct {
			IDs []int32 `json:"ids"`
		} `json:"special_tokens"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("post_processor: %w", err)
	}
	switch v.Type {
	case "RobertaProcessing":
		if v.Sep == nil || v.Cls == nil {
			return errors.New("post_processor: cls and sep are required")
		}
		cls, sep := tokenizer.TemplateSpec{IDs: []int32{v.Cls.ID}}, tokenizer.TemplateSpec{IDs: []int32{v.Sep.ID}}
		a, b := tokenizer.TemplateSpec{Sequence: "A"}, tokenizer.TemplateSpec{Sequence: "B"}
		c.Single = []tokenizer.TemplateSpec{cls, a, sep}
		c.Pair = []tokenizer.TemplateSpec{cls, a, sep, sep, b, sep}
		c.TrimOffsets, c.AddPrefixSpace = v.TrimOffsets, v.AddPrefixSpace
		return nil
	case "TemplateProcessing":
		var err error
		if c.Single, err = template(v.Single, v.SpecialTokens, "single"); err != nil {
			return err
		}
		c.Pair, err = template(v.Pair, v.SpecialTokens, "pair")
		return err
	}
	return fmt.Errorf("post_processor.type: unsupported post-processor %q (want RobertaProcessing or TemplateProcessing)", v.Type)
}

func template(parts []templatePartJSON, specials map[string]struct {
	IDs []int32 `json:"ids"`
}, field string) ([]tokenizer.TemplateSpec, error) {
	var out []tokenizer.TemplateSpec
	for i, p := range parts {
		switch {
		case p.Sequence != nil && (p.Sequence.ID == "A" || p.Sequence.ID == "B"):
			out = append(out, tokenizer.TemplateSpec{Sequence: p.Sequence.ID, TypeID: p.Sequence.TypeID})
		case p.SpecialToken != nil:
			sp, ok := specials[p.SpecialToken.ID]
			if !ok || len(sp.IDs) == 0 {
				return nil, fmt.Errorf("post_processor.%s[%d]: special token %q is not in special_tokens", field, i, p.SpecialToken.ID)
			}
			out = append(out, tokenizer.TemplateSpec{IDs: sp.IDs, TypeID: p.SpecialToken.TypeID})
		default:
			return nil, fmt.Errorf("post_processor.%s[%d]: want a Sequence A or B or a SpecialToken", field, i)
		}
	}
	return out, nil
}
