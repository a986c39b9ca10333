package engine

import (
	"slices"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/pooling"
	"github.com/wasmbert/wasmbert/model/similarity"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// MaxTextBytes bounds one input text. Longer texts are rejected rather than
// tokenized, since even truncation must first read the whole text.
const MaxTextBytes = 1 << 20

// EmbedOptions adjusts one Embed call; the zero value embeds as the model
// was published (its pooling, normalization and maximum length).
type EmbedOptions struct {
	// Pooling is "mean", "cls", "max" or "lasttoken"; "" uses the model's.
	Pooling string
	// Normalize overrides the model's L2 normalization when not nil.
	Normalize *bool
	// Layer picks the hidden states to pool (see pooling.ParseLayer): "-1"
	// or "" for the last layer, "N", "-N", "sum:K", "mean:K", "concat:K".
	Layer string
	// Tokens also returns the selected hidden state of every token.
	Tokens bool
	// Words also returns one vector per word: "first" (its first subword) or
	// "mean" (the mean of its subwords); "" for none.
	Words string
	// MaxLength is the longest sequence, special tokens included, 0 for the
	// model's default (max_seq_length, 256 for all-MiniLM-L6-v2).
	MaxLength int
	// Chunk, when set, embeds a text longer than MaxLength as overlapping
	// windows and averages them instead of truncating it.
	Chunk *Chunking
	// Dimensions truncates the vector to its first Dimensions components and,
	// when vectors are normalized, rescales them to unit length
	// (Matryoshka, similarity.Truncate); 0 keeps them all.
	Dimensions int
	// Prompt names one of the model's prompts (Info.Prompts), whose text is
	// put before every input, as sentence-transformers' encode(prompt_name=)
	// does: "query" for e5's "query: ", say. Token and word offsets are then
	// into the prompted text. "" uses none.
	Prompt string
	// MaxBatchTokens bounds the padded tokens of one encoder forward, and so
	// the activations the call allocates and keeps for reuse (see
	// Info.ActivationBytes); 0 uses the engine's 4096. A sequence longer
	// than the bound is encoded alone.
	MaxBatchTokens int
}

// Chunking splits long texts into windows of Size tokens (special tokens
// not counted) that overlap by Overlap tokens.
type Chunking struct {
	// Size 0 is the longest window MaxLength leaves room for.
	Size int
	// Overlap nil is Size/8; a pointer because 0 (disjoint windows) is a
	// valid choice.
	Overlap *int
}

// chunkSettings are Chunking with the defaults filled in.
type chunkSettings struct {
	size, overlap int
}

// Embedding is the result for one text.
type Embedding struct {
	Vector    []float32
	Tokens    []TokenVector `json:",omitempty"`
	Words     []WordVector  `json:",omitempty"`
	NumTokens int           // tokens encoded, special tokens included, all chunks together
	Truncated bool          // tokens were dropped to fit MaxLength
	Chunks    int           // sequences the text was encoded as (1 unless chunked)
	// FullTokens is the text's length in tokens before any truncation or
	// chunking, special tokens included: above MaxLength when Truncated.
	FullTokens int
}

// TokenVector is the hidden state of one token. Start and End are UTF-8
// byte offsets into the text (Go strings index bytes; the JS library
// converts them to UTF-16 code units); special tokens have 0, 0.
type TokenVector struct {
	Token      string
	ID         int32
	Start, End int
	Vector     []float32
}

// WordVector is the vector of one word, with the UTF-8 byte span of its
// tokens in the text.
type WordVector struct {
	Text       string
	Start, End int
	Vector     []float32
}

// settings are EmbedOptions checked and defaulted.
type settings struct {
	mode       pooling.Mode
	normalize  bool
	layer      pooling.LayerSpec
	words      pooling.WordAgg
	tokens     bool
	maxLen     int
	chunk      *chunkSettings
	prompt     string // text put before every input
	dimensions int
	maxTokens  int // padded tokens per forward
}

func (e *Engine) settings(o EmbedOptions) (settings, error) {
	s := settings{mode: e.pooling, normalize: e.normalize, tokens: o.Tokens, maxLen: e.maxLen, maxTokens: maxBatchTokens}
	if o.Pooling != "" {
		m, err := pooling.ParseMode(o.Pooling)
		if err != nil {
			return s, err
		}
		s.mode = m
	}
	if o.Normalize != nil {
		s.normalize = *o.Normalize
	}
	layer, err := pooling.ParseLayer(o.Layer)
	if err != nil {
		return s, err
	}
	s.layer = layer
	if o.Prompt != "" {
		p, ok := e.info.Prompts[o.Prompt]
		if !ok {
			// Info().Prompts has the names; listing them here would pull
			// sorting into the engine wasm (the CLI and the JS library list them).
			return s, errfmt.Errorf("prompt %q: the model has no such prompt (see Info().Prompts)", o.Prompt)
		}
		s.prompt = p
	}
	if o.Words != "" {
		s.words = pooling.WordAgg(o.Words)
		if s.words != pooling.First && s.words != pooling.MeanAgg {
			return s, errfmt.Errorf("words %q: want first or mean", o.Words)
		}
	}
	positions := e.enc.maxTokens()
	if o.MaxLength != 0 {
		if o.MaxLength < 3 || o.MaxLength > positions {
			return s, errfmt.Errorf("max length %d: want 3..%d", o.MaxLength, positions)
		}
		s.maxLen = o.MaxLength
	}
	if c := o.Chunk; c != nil {
		cs := chunkSettings{size: c.Size}
		if cs.size == 0 {
			cs.size = s.maxLen - 2
		}
		if cs.size < 1 || cs.size > s.maxLen-2 {
			return s, errfmt.Errorf("chunk size %d: want 1..%d (max length minus [CLS] and [SEP]), or 0 for the most", c.Size, s.maxLen-2)
		}
		cs.overlap = cs.size / 8
		if c.Overlap != nil {
			cs.overlap = *c.Overlap
		}
		if cs.overlap < 0 || cs.overlap >= cs.size {
			return s, errfmt.Errorf("chunk overlap %d: want 0..%d", cs.overlap, cs.size-1)
		}
		if s.tokens || s.words != "" {
			return s, errfmt.Errorf("token and word vectors are not available for chunked texts")
		}
		s.chunk = &cs
	}
	dim := layer.Dim(e.info.Dim)
	if o.Dimensions < 0 || o.Dimensions > dim {
		return s, errfmt.Errorf("dimensions %d: want 0..%d", o.Dimensions, dim)
	}
	s.dimensions = o.Dimensions
	if o.MaxBatchTokens < 0 {
		return s, errfmt.Errorf("max batch tokens %d: want 0 (the default) or more", o.MaxBatchTokens)
	}
	if o.MaxBatchTokens > 0 {
		s.maxTokens = o.MaxBatchTokens
	}
	return s, nil
}

// Embed embeds texts. The empty string is embedded as [CLS] [SEP], as the
// reference does.
func (e *Engine) Embed(texts []string, o EmbedOptions) ([]Embedding, error) {
	return e.embed(texts, o, e.enc.forward)
}

// embed is Embed with the encoder forward given, so that a split forward
// (EmbedPart) runs the same pipeline.
func (e *Engine) embed(texts []string, o EmbedOptions, forward forwardFunc) ([]Embedding, error) {
	s, err := e.settings(o)
	if err != nil {
		return nil, errfmt.Errorf("embed: %w", err)
	}
	out := make([]Embedding, len(texts))
	var seqs []sequence
	for i, text := range texts {
		if err := checkText(i, text); err != nil {
			return nil, errfmt.Errorf("embed: %w", err)
		}
	}
	if s.prompt != "" {
		prompted := make([]string, len(texts))
		for i, text := range texts {
			prompted[i] = s.prompt + text
		}
		texts = prompted
	}
	for i, text := range texts {
		seqs = e.appendSequences(seqs, i, text, &s, &out[i])
	}
	if err := e.run(seqs, &s, out, forward); err != nil {
		return nil, errfmt.Errorf("embed: %w", err)
	}
	for i := range out {
		for w := range out[i].Words {
			out[i].Words[w].Text = texts[i][out[i].Words[w].Start:out[i].Words[w].End]
		}
		if s.dimensions > 0 && s.dimensions < len(out[i].Vector) {
			if out[i].Vector, err = truncate(out[i].Vector, s.dimensions, s.normalize); err != nil {
				return nil, errfmt.Errorf("embed: %w", err)
			}
		}
	}
	return out, nil
}

// truncate keeps the first dims components of v, rescaled to unit length
// when the caller asked for normalized vectors (Matryoshka).
func truncate(v []float32, dims int, normalize bool) ([]float32, error) {
	if !normalize {
		return v[:dims], nil
	}
	return similarity.Truncate(v, dims)
}

// Similarity is the cosine similarity of the embeddings of a and b.
func (e *Engine) Similarity(a, b string, o EmbedOptions) (float32, error) {
	v, err := e.Embed([]string{a, b}, o)
	if err != nil {
		return 0, err
	}
	return similarity.Cosine(v[0].Vector, v[1].Vector)
}

func checkText(i int, text string) error {
	if len(text) > MaxTextBytes {
		return errfmt.Errorf("text %d is %d bytes, more than the %d allowed", i, len(text), MaxTextBytes)
	}
	return nil
}

// sequence is one encoder input: a whole text, or one chunk of it.
type sequence struct {
	text   int
	ids    []int32
	types  []int32             // token type ids; all 0 but for XLNet
	enc    *tokenizer.Encoding // for token and word vectors; nil for chunks
	weight float64             // content tokens, for averaging chunks
}

// appendSequences encodes text into one sequence, or into overlapping
// chunks when it is too long and chunking is on.
func (e *Engine) appendSequences(seqs []sequence, i int, text string, s *settings, emb *Embedding) []sequence {
	if s.chunk == nil {
		enc := e.tok.Encode(text, s.maxLen)
		emb.NumTokens, emb.Truncated, emb.Chunks, emb.FullTokens = len(enc.IDs), enc.Truncated, 1, enc.FullLength
		return append(seqs, sequence{text: i, ids: enc.IDs, types: enc.TypeIDs, enc: &enc, weight: 1})
	}
	enc := e.tok.Encode(text, 0)
	emb.FullTokens = len(enc.IDs)
	if len(enc.IDs) <= s.maxLen {
		emb.NumTokens, emb.Chunks = len(enc.IDs), 1
		return append(seqs, sequence{text: i, ids: enc.IDs, types: enc.TypeIDs, weight: 1})
	}
	// Every chunk gets the text's special tokens: [CLS] before and [SEP]
	// after (BERT, RoBERTa), or <sep> <cls> after (XLNet).
	n, lead := len(enc.IDs), e.leadingSpecials
	trail := 2 - lead
	size, stride := s.chunk.size, s.chunk.size-s.chunk.overlap
	for start := lead; ; start += stride {
		end := min(start+size, n-trail)
		ids := slices.Concat(enc.IDs[:lead], enc.IDs[start:end], enc.IDs[n-trail:])
		types := slices.Concat(enc.TypeIDs[:lead], enc.TypeIDs[start:end], enc.TypeIDs[n-trail:])
		seqs = append(seqs, sequence{text: i, ids: ids, types: types, weight: float64(end - start)})
		emb.NumTokens += len(ids)
		emb.Chunks++
		if end == n-trail {
			break
		}
	}
	return seqs
}
