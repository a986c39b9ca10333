package tokenizer

// PipelineSpec is a BPE or Unigram pipeline as plain data: what hfdir reads from a
// tokenizer.json and a model file stores, so that both build the same Pipeline.
// Build turns it into one.
type PipelineSpec struct {
	// Vocab is the model's vocabulary by id (BPE vocab, Unigram pieces); added
	// tokens may name more ids after it. A model file stores it beside the spec.
	Vocab []string `json:"-"`
	// Model is SpecBPE or SpecUnigram.
	Model string `json:"model"`
	// Merges are BPE's merges, highest priority first, as pairs of Vocab ids
	// (flat: a0, b0, a1, b1, ...).
	Merges                  []int32 `json:"merges,omitempty"`
	UnkToken                string  `json:"unk_token,omitempty"` // BPE; "" for none
	ContinuingSubwordPrefix string  `json:"continuing_subword_prefix,omitempty"`
	EndOfWordSuffix         string  `json:"end_of_word_suffix,omitempty"`
	FuseUnk                 bool    `json:"fuse_unk,omitempty"`
	IgnoreMerges            bool    `json:"ignore_merges,omitempty"`
	ByteFallback            bool    `json:"byte_fallback,omitempty"` // BPE and Unigram
	// Scores are the Unigram pieces' log probabilities, one per Vocab entry.
	Scores        []float64          `json:"scores,omitempty"`
	UnkID         int                `json:"unk_id"` // Unigram
	Normalizers   []NormalizerSpec   `json:"normalizers,omitempty"`
	PreTokenizers []PreTokenizerSpec `json:"pre_tokenizers,omitempty"`
	Added         []AddedToken       `json:"added_tokens,omitempty"`
	// Single and Pair are the post-processing templates; nil means $A and $A:0 $B:1.
	Single         []TemplateSpec `json:"single,omitempty"`
	Pair           []TemplateSpec `json:"pair,omitempty"`
	TrimOffsets    bool           `json:"trim_offsets,omitempty"`
	AddPrefixSpace bool           `json:"add_prefix_space,omitempty"`
}

// PipelineSpec.Model values.
const (
	SpecBPE     = "bpe"
	SpecUnigram = "unigram"
)

// NormalizerSpec is one normalizer: Type "precompiled" (Charsmap), "replace" (the
// string Pattern), "replace_regex" (Pattern, see NewReplaceRegex), "strip", "nfkd",
// "strip_accents" or "lowercase".
type NormalizerSpec struct {
	Type     string `json:"type"`
	Charsmap []byte `json:"charsmap,omitempty"`
	Pattern  string `json:"pattern,omitempty"`
	Content  string `json:"content,omitempty"`
	Left     bool   `json:"left,omitempty"`
	Right    bool   `json:"right,omitempty"`
}

// PreTokenizerSpec is one pre-tokenizer: Type "byte_level" (AddPrefixSpace,
// UseRegex), "metaspace" (Replacement, Prepend "always", "first" or "never",
// Split) or "whitespace_split".
type PreTokenizerSpec struct {
	Type           string `json:"type"`
	AddPrefixSpace bool   `json:"add_prefix_space,omitempty"`
	UseRegex       bool   `json:"use_regex,omitempty"`
	Replacement    string `json:"replacement,omitempty"`
	Prepend        string `json:"prepend,omitempty"`
	Split          bool   `json:"split,omitempty"`
}

// TemplateSpec is a TemplatePart: Sequence "A" or "B", or special token IDs.
type TemplateSpec struct {
	Sequence string  `json:"sequence,omitempty"`
	IDs      []int32 `json:"ids,omitempty"`
	TypeID   int32   `json:"type_id"`
}

// New builds the normalizer.
func (s NormalizerSpec) New() (Normalizer, error) {
	switch s.Type {
	case "precompiled":
		return NewPrecompiled(s.Charsmap)
	case "replace":
		return NewReplace(s.Pattern, s.Content)
	case "replace_regex":
		return NewReplaceRegex(s.Pattern, s.Content)
	case "strip":
		return Strip{Left: s.Left, Right: s.Right}, nil
	case "nfkd":
		return NFKD{}, nil
	case "strip_accents":
		return StripAccents{}, nil
	case "lowercase":
		return Lowercase{}, nil
	}
	return nil, errorf("unknown normalizer type %q", s.Type)
}

// New builds the pre-tokenizer.
func (s PreTokenizerSpec) New() (PreTokenizer, error) {
	switch s.Type {
	case "byte_level":
		return ByteLevel{AddPrefixSpace: s.AddPrefixSpace, UseRegex: s.UseRegex}, nil
	case "whitespace_split":
		return WhitespaceSplit{}, nil
	case "metaspace":
		rs := []rune(s.Replacement)
		if len(rs) != 1 {
			return nil, errorf("metaspace replacement %q: want one character", s.Replacement)
		}
		m := Metaspace{Replacement: rs[0], Split: s.Split}
		switch s.Prepend {
		case "always":
		case "first":
			m.Prepend = PrependFirst
		case "never":
			m.Prepend = PrependNever
		default:
			return nil, errorf("metaspace prepend scheme %q: want always, first or never", s.Prepend)
		}
		return m, nil
	}
	return nil, errorf("unknown pre-tokenizer type %q", s.Type)
}

// Tokens names every id: Vocab, overlaid and extended by the added tokens.
func (s *PipelineSpec) Tokens() ([]string, error) {
	size := len(s.Vocab)
	for i, a := range s.Added {
		if a.ID < 0 || a.ID == 1<<31-1 {
			return nil, errorf("added token %d (%q): id %d out of range", i, a.Content, a.ID)
		}
		size = max(size, int(a.ID)+1)
	}
	if size > len(s.Vocab)+len(s.Added) {
		return nil, errorf("added tokens: ids leave gaps after the model's %d tokens (largest id %d)", len(s.Vocab), size-1)
	}
	tokens := make([]string, size)
	set := make([]bool, size)
	copy(tokens, s.Vocab)
	for i := range s.Vocab {
		set[i] = true
	}
	for _, a := range s.Added {
		tokens[a.ID], set[a.ID] = a.Content, true
	}
	for id, ok := range set {
		if !ok {
			return nil, errorf("added tokens: no token has id %d", id)
		}
	}
	return tokens, nil
}

// Build checks the spec and builds its pipeline.
func (s *PipelineSpec) Build() (*Pipeline, error) {
	var c PipelineConfig
	var err error
	if c.Tokens, err = s.Tokens(); err != nil {
		return nil, err
	}
	if c.Model, err = s.model(); err != nil {
		return nil, err
	}
	for _, n := range s.Normalizers {
		nz, err := n.New()
		if err != nil {
			return nil, err
		}
		c.Normalizers = append(c.Normalizers, nz)
	}
	for _, p := range s.PreTokenizers {
		pt, err := p.New()
		if err != nil {
			return nil, err
		}
		c.PreTokenizers = append(c.PreTokenizers, pt)
	}
	c.Added = s.Added
	if c.Single, err = templateParts(s.Single); err != nil {
		return nil, err
	}
	if c.Pair, err = templateParts(s.Pair); err != nil {
		return nil, err
	}
	c.TrimOffsets, c.AddPrefixSpace = s.TrimOffsets, s.AddPrefixSpace
	return NewPipeline(c)
}

func (s *PipelineSpec) model() (Model, error) {
	switch s.Model {
	case SpecBPE:
		vocab := make(map[string]int32, len(s.Vocab))
		for i, t := range s.Vocab {
			if _, dup := vocab[t]; dup {
				return nil, errorf("bpe: token %q has two ids", t)
			}
			vocab[t] = int32(i)
		}
		if len(s.Merges)%2 != 0 {
			return nil, errorf("bpe: odd number of merge ids %d", len(s.Merges))
		}
		merges := make([][2]string, len(s.Merges)/2)
		for i := range merges {
			a, b := s.Merges[2*i], s.Merges[2*i+1]
			if a < 0 || b < 0 || int(a) >= len(s.Vocab) || int(b) >= len(s.Vocab) {
				return nil, errorf("bpe: merge %d (%d %d): id outside the vocabulary of %d", i, a, b, len(s.Vocab))
			}
			merges[i] = [2]string{s.Vocab[a], s.Vocab[b]}
		}
		return NewBPE(BPEConfig{Vocab: vocab, Merges: merges, UnkToken: s.UnkToken, FuseUnk: s.FuseUnk,
			ByteFallback: s.ByteFallback, IgnoreMerges: s.IgnoreMerges,
			ContinuingSubwordPrefix: s.ContinuingSubwordPrefix, EndOfWordSuffix: s.EndOfWordSuffix})
	case SpecUnigram:
		return NewUnigram(UnigramConfig{Pieces: s.Vocab, Scores: s.Scores, UnkID: s.UnkID, ByteFallback: s.ByteFallback})
	}
	return nil, errorf("unknown model %q (want %s or %s)", s.Model, SpecBPE, SpecUnigram)
}

func templateParts(spec []TemplateSpec) ([]TemplatePart, error) {
	if spec == nil {
		return nil, nil
	}
	parts := make([]TemplatePart, len(spec))
	for i, t := range spec {
		switch t.Sequence {
		case "":
		case "A", "B":
			parts[i].Sequence = t.Sequence[0]
		default:
			return nil, errorf("template part %d: sequence %q, want A or B", i, t.Sequence)
		}
		parts[i].IDs, parts[i].TypeID = t.IDs, t.TypeID
	}
	return parts, nil
}
