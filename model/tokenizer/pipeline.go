package tokenizer

import (
	"sync"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

func errorf(format string, args ...any) error {
	return errfmt.Errorf("tokenizer: "+format, args...)
}

// PreTokenizer splits normalized text into the pieces the model tokenizes one by one.
// ByteLevel, Metaspace and WhitespaceSplit implement it.
type PreTokenizer interface {
	preTokenize(pieces []*normString) []*normString
}

// Model splits one pre-tokenized piece into tokens. BPE and Unigram implement it.
type Model interface {
	tokenize(s string, out []token, tokens []string) []token
}

// token is a token of a piece: its id, its text as the model sees it and its byte
// range in the piece's normalized text (later in the original text).
type token struct {
	id    int32
	value string
	off   span
}

// piece is a part of the text on its way through the pipeline; tokens is set once it
// is tokenized (added tokens are, from the start).
type piece struct {
	ns     *normString
	tokens []token
}

// TemplatePart is one element of a post-processing template: a sequence of the input
// (Sequence 'A' or 'B') or special token ids, with the type id they get.
type TemplatePart struct {
	Sequence byte
	IDs      []int32
	TypeID   int32
}

// PipelineConfig describes a tokenizers pipeline: tokenizer.json's normalizer,
// pre_tokenizer, model, added_tokens and post_processor.
type PipelineConfig struct {
	// Tokens names every id: the model's vocabulary and the added tokens.
	Tokens        []string
	Normalizers   []Normalizer
	PreTokenizers []PreTokenizer
	Model         Model
	Added         []AddedToken
	// Single and Pair are the post-processing templates; nil means $A and $A:0 $B:1.
	Single, Pair []TemplatePart
	// TrimOffsets removes byte-level spaces from token offsets (RobertaProcessing's
	// trim_offsets); AddPrefixSpace is that processor's option.
	TrimOffsets, AddPrefixSpace bool
}

// Pipeline encodes text like a Hugging Face tokenizers Tokenizer built from a
// tokenizer.json with a BPE or Unigram model. It is immutable and safe for concurrent use.
type Pipeline struct {
	c                 PipelineConfig
	verbatim, normMat addedMatcher
	// ids maps tokens to ids for TokenID, built on first use: encoding does
	// not need it, and for XLM-R's 250,002 tokens it is 12 MiB.
	idsOnce sync.Once
	ids     map[string]int32
}

// NewPipeline checks c and builds the pipeline.
func NewPipeline(c PipelineConfig) (*Pipeline, error) {
	if c.Model == nil {
		return nil, errorf("pipeline without a model")
	}
	if len(c.Tokens) == 0 || len(c.Tokens) > 1<<31-1 {
		return nil, errorf("vocabulary of %d tokens", len(c.Tokens))
	}
	if c.Single == nil {
		c.Single = []TemplatePart{{Sequence: 'A'}}
	}
	if c.Pair == nil {
		c.Pair = []TemplatePart{{Sequence: 'A'}, {Sequence: 'B', TypeID: 1}}
	}
	p := &Pipeline{c: c}
	for _, parts := range [][]TemplatePart{c.Single, c.Pair} {
		for _, t := range parts {
			for _, id := range t.IDs {
				if id < 0 || int(id) >= len(c.Tokens) {
					return nil, errorf("template token id %d out of range [0, %d)", id, len(c.Tokens))
				}
			}
		}
	}
	for _, a := range c.Added {
		if a.ID < 0 || int(a.ID) >= len(c.Tokens) {
			return nil, errorf("added token %q: id %d out of range [0, %d)", a.Content, a.ID, len(c.Tokens))
		}
		if a.Content == "" {
			continue
		}
		m := &p.verbatim
		pattern := a.Content
		if a.Normalized {
			m = &p.normMat
			pattern = p.normalizeString(a.Content)
		}
		m.tokens = append(m.tokens, a)
		m.patterns = append(m.patterns, pattern)
	}
	return p, nil
}

func (p *Pipeline) normalizeString(s string) string {
	n := newNormString(s)
	for _, nz := range p.c.Normalizers {
		nz.normalize(n)
	}
	return string(n.norm)
}

// VocabSize is the number of token ids.
func (p *Pipeline) VocabSize() int { return len(p.c.Tokens) }

// Token returns the token with the given id, or "" if id is out of range.
func (p *Pipeline) Token(id int32) string {
	if id < 0 || int(id) >= len(p.c.Tokens) {
		return ""
	}
	return p.c.Tokens[id]
}

// TokenID returns the id of token s (the lowest if several ids have it).
func (p *Pipeline) TokenID(s string) (int32, bool) {
	p.idsOnce.Do(func() {
		p.ids = make(map[string]int32, len(p.c.Tokens))
		for i := len(p.c.Tokens) - 1; i >= 0; i-- {
			p.ids[p.c.Tokens[i]] = int32(i)
		}
	})
	id, ok := p.ids[s]
	return id, ok
}

// tokens runs text through added-token matching, normalization, pre-tokenization and
// the model; the tokens' offsets are byte ranges of text.
func (p *Pipeline) tokens(text string) ([]token, []int) {
	if text == "" {
		return nil, nil
	}
	pieces := p.verbatim.split([]piece{{ns: newNormString(text)}})
	kept := pieces[:0]
	for _, pc := range pieces {
		if pc.tokens == nil {
			for _, nz := range p.c.Normalizers {
				nz.normalize(pc.ns)
			}
		}
		if len(pc.ns.norm) > 0 {
			kept = append(kept, pc)
		}
	}
	pieces = p.normMat.split(kept)
	var words []piece
	for _, pc := range pieces {
		if pc.tokens != nil {
			words = append(words, pc)
			continue
		}
		split := []*normString{pc.ns}
		for _, pt := range p.c.PreTokenizers {
			split = pt.preTokenize(split)
		}
		for _, ns := range split {
			if len(ns.norm) > 0 {
				words = append(words, piece{ns: ns})
			}
		}
	}
	var toks []token
	var wordIDs []int
	for w, pc := range words {
		start := len(toks)
		if pc.tokens != nil {
			toks = append(toks, pc.tokens...)
		} else {
			toks = p.c.Model.tokenize(string(pc.ns.norm), toks, p.c.Tokens)
		}
		for i := start; i < len(toks); i++ {
			toks[i].off = pc.ns.original(toks[i].off.s, toks[i].off.e)
			wordIDs = append(wordIDs, w)
		}
	}
	return toks, wordIDs
}

// added counts the special tokens a template adds.
func added(parts []TemplatePart) int {
	n := 0
	for _, t := range parts {
		n += len(t.IDs)
	}
	return n
}

// Encode tokenizes text with the single-sequence template, keeping at most maxLen
// tokens (special tokens included) by dropping tokens from the end. maxLen <= 0 means
// no limit; like the reference, a maxLen below the number of special tokens is ignored.
func (p *Pipeline) Encode(text string, maxLen int) Encoding {
	a, wa := p.tokens(text)
	n := added(p.c.Single)
	full := len(a) + n
	if maxLen >= n && maxLen > 0 && full > maxLen {
		a, wa = a[:maxLen-n], wa[:maxLen-n]
	}
	return p.assemble(p.c.Single, full, seq{text, a, wa}, seq{})
}

// EncodePair tokenizes a and b with the pair template, truncating longest first to at
// most maxLen tokens (see Tokenizer.EncodePair). An empty b encodes a alone, as the
// transformers tokenizer call does.
func (p *Pipeline) EncodePair(a, b string, maxLen int) Encoding {
	if b == "" {
		return p.Encode(a, maxLen)
	}
	ta, wa := p.tokens(a)
	tb, wb := p.tokens(b)
	n := added(p.c.Pair)
	full := len(ta) + len(tb) + n
	if maxLen >= n && maxLen > 0 && full > maxLen {
		na, nb := longestFirst(len(ta), len(tb), maxLen-n)
		ta, wa, tb, wb = ta[:na], wa[:na], tb[:nb], wb[:nb]
	}
	return p.assemble(p.c.Pair, full, seq{a, ta, wa}, seq{b, tb, wb})
}

// seq is one tokenized input text.
type seq struct {
	text  string
	toks  []token
	words []int
}

func (p *Pipeline) assemble(parts []TemplatePart, full int, a, b seq) Encoding {
	n := len(a.toks) + len(b.toks) + added(parts)
	e := Encoding{
		IDs:        make([]int32, 0, n),
		TypeIDs:    make([]int32, 0, n),
		Mask:       make([]int32, n),
		Tokens:     make([]string, 0, n),
		Offsets:    make([]Offset, 0, n),
		WordIDs:    make([]int, 0, n),
		Truncated:  full > n,
		FullLength: full,
	}
	for i := range e.Mask {
		e.Mask[i] = 1
	}
	for _, part := range parts {
		for _, id := range part.IDs {
			e.IDs = append(e.IDs, id)
			e.TypeIDs = append(e.TypeIDs, part.TypeID)
			e.Tokens = append(e.Tokens, p.c.Tokens[id])
			e.Offsets = append(e.Offsets, Offset{})
			e.WordIDs = append(e.WordIDs, -1)
		}
		s := a
		switch part.Sequence {
		case 'A':
		case 'B':
			s = b
		default:
			continue
		}
		offs := charOffsets(s.text, s.toks)
		if p.c.TrimOffsets {
			trimByteLevelOffsets(s.toks, offs, p.c.AddPrefixSpace)
		}
		starts := charStarts(s.text)
		for i, t := range s.toks {
			e.IDs = append(e.IDs, t.id)
			e.TypeIDs = append(e.TypeIDs, part.TypeID)
			e.Tokens = append(e.Tokens, p.c.Tokens[t.id])
			o := offs[i]
			e.Offsets = append(e.Offsets, Offset{ByteStart: starts[o.s], ByteEnd: starts[o.e], CharStart: o.s, CharEnd: o.e})
			e.WordIDs = append(e.WordIDs, s.words[i])
		}
	}
	return e
}

// charStarts returns the byte offset of each character of s, and len(s) last.
func charStarts(s string) []int {
	var starts []int
	for i := 0; i < len(s); {
		starts = append(starts, i)
		_, n := decodeRune(s[i:])
		i += n
	}
	return append(starts, len(s))
}

// charOffsets converts the tokens' byte offsets into character offsets.
func charOffsets(s string, toks []token) []span {
	index := make([]int, len(s)+1)
	c := 0
	for i := 0; i < len(s); {
		_, n := decodeRune(s[i:])
		for k := range n {
			index[i+k] = c
		}
		i += n
		c++
	}
	index[len(s)] = c
	out := make([]span, len(toks))
	for i, t := range toks {
		out[i] = span{index[min(max(t.off.s, 0), len(s))], index[min(max(t.off.e, 0), len(s))]}
	}
	return out
}
