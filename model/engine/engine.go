// Package engine is a loaded model file ready to embed text: tokenizer,
// encoder and the pooling defaults the model was published with.
package engine

import (
	"errors"
	"io"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/bert"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/pooling"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// Engine embeds text with one model. It is safe for concurrent use.
type Engine struct {
	tok tokenizer.Encoder
	enc encoder
	// leadingSpecials counts the special tokens the tokenizer puts before
	// a text: 1 ([CLS], <s>), or 0 for XLNet, whose <sep> <cls> follow it.
	// Two special tokens wrap every text.
	leadingSpecials int
	pooling         pooling.Mode
	normalize       bool
	maxLen          int
	info            Info
	// workspaces recycles encoder buffers between calls, one per concurrent
	// call, so steady-state embedding does not allocate activations.
	workspaces workspaces
}

// Info describes a loaded model.
type Info struct {
	Dim              int               `json:"dim"`
	Layers           int               `json:"layers"`
	Heads            int               `json:"heads"`
	IntermediateSize int               `json:"intermediate_size"` // feed-forward width; see ActivationBytes
	MaxLength        int               `json:"max_length"`        // default truncation length, special tokens included
	VocabSize        int               `json:"vocab_size"`
	Pooling          string            `json:"pooling"`
	Normalize        bool              `json:"normalize"`
	HiddenAct        string            `json:"hidden_act"`
	Tokenizer        string            `json:"tokenizer"` // wordpiece, bpe or unigram
	DTypes           map[string]int    `json:"dtypes"`    // tensor count per stored dtype
	Parameters       int64             `json:"parameters"`
	Source           map[string]string `json:"source,omitempty"`
	// Prompts maps the model's prompt names (EmbedOptions.Prompt) to their text.
	Prompts map[string]string `json:"prompts,omitempty"`
}

// Load reads a model file stream, building the encoder tensor by tensor so
// the stream's bytes are never held whole.
func Load(r io.Reader) (*Engine, error) {
	dec := modelfile.NewDecoder(r)
	h, err := dec.Header()
	if err != nil {
		return nil, errfmt.Errorf("load model: %w", err)
	}
	// The tokenizer first: a model this build cannot tokenize for is refused
	// before its weights are read.
	tok, err := newTokenizer(&h.Tokenizer, h.Model.VocabSize)
	if err != nil {
		return nil, errfmt.Errorf("load model: %w", err)
	}
	b, err := newBuilder(h)
	if err != nil {
		return nil, errfmt.Errorf("load model: %w", err)
	}
	info := Info{
		Dim: h.Model.HiddenSize, Layers: h.Model.NumHiddenLayers, Heads: h.Model.NumAttentionHeads,
		IntermediateSize: h.Model.IntermediateSize,
		VocabSize:        h.Model.VocabSize, HiddenAct: h.Model.HiddenAct, DTypes: map[string]int{}, Source: h.Source,
		Prompts:   h.Prompts,
		Tokenizer: h.Tokenizer.Type,
	}
	if info.Tokenizer == "" {
		info.Tokenizer = modelfile.TokenizerWordPiece
	}
	for {
		t, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errfmt.Errorf("load model: %w", err)
		}
		if err := b.Add(t); err != nil {
			return nil, errfmt.Errorf("load model: %w", err)
		}
		info.DTypes[string(t.DType)]++
		n := int64(1)
		for _, s := range t.Shape {
			n *= int64(s)
		}
		info.Parameters += n
	}
	enc, err := b.build()
	if err != nil {
		return nil, errfmt.Errorf("load model: %w", err)
	}
	mode, err := pooling.ParseMode(h.Pooling.Mode)
	if err != nil {
		return nil, errfmt.Errorf("load model: %w", err)
	}
	e := &Engine{tok: tok, enc: enc, leadingSpecials: 1, pooling: mode, normalize: h.Pooling.Normalize,
		maxLen: defaultMaxLength(h, enc.maxTokens()), workspaces: workspaces{make: enc.newWorkspace}}
	if h.Model.ModelType == modelfile.ModelTypeXLNet {
		e.leadingSpecials = 0
	}
	info.MaxLength, info.Pooling, info.Normalize = e.maxLen, string(mode), e.normalize
	e.info = info
	return e, nil
}

// Info describes the loaded model.
func (e *Engine) Info() Info { return e.info }

// Tokenize encodes text as the encoder sees it by default: with the model's
// special tokens ([CLS] text [SEP], <s> text </s>), truncated to its maximum
// length. Offsets are into the UTF-8 text: bytes and code points.
func (e *Engine) Tokenize(text string) (tokenizer.Encoding, error) {
	if err := checkText(0, text); err != nil {
		return tokenizer.Encoding{}, err
	}
	return e.tok.Encode(text, e.maxLen), nil
}

// defaultMaxLength is sentence-transformers' max_seq_length when known,
// else the tokenizer's model_max_length, never beyond n, the encoder's
// longest sequence.
func defaultMaxLength(h *modelfile.Header, n int) int {
	for _, v := range []int{h.Tokenizer.MaxSeqLength, h.Tokenizer.ModelMaxLength} {
		if v > 0 {
			return min(v, n)
		}
	}
	return n
}

// ErrNeedsFamilies is the error, wrapped, of a core build (tag wasmbert_core,
// the browser's default wasmbert.wasm) given a model whose tokenizer only the
// families build runs: the BPE and Unigram pipelines stay out of the core
// engine to keep its download small (docs/design.md, "Engine size").
var ErrNeedsFamilies = errors.New("this model needs the families engine")

// encoder is the network an Engine runs: BERT's, which RoBERTa and XLM-R
// share, or XLNet's (xlnet.go).
type encoder interface {
	// forward runs one batch in ws, a workspace from newWorkspace.
	forward(ws any, in bert.Input) (bert.Output, error)
	newWorkspace() any
	// maxTokens is the longest sequence, special tokens included.
	maxTokens() int
}

// encoderBuilder assembles an encoder from the model file's tensors.
type encoderBuilder interface {
	Add(t *modelfile.Tensor) error
	build() (encoder, error)
}

// newBuilder starts the encoder the header's model_type names.
func newBuilder(h *modelfile.Header) (encoderBuilder, error) {
	if h.Model.ModelType == modelfile.ModelTypeXLNet {
		return newXLNetBuilder(h)
	}
	b, err := bert.NewBuilder(bert.Config(h.Model))
	if err != nil {
		return nil, err
	}
	return &bertBuilder{b}, nil
}

type bertBuilder struct{ *bert.Builder }

func (b *bertBuilder) build() (encoder, error) {
	m, err := b.Done()
	if err != nil {
		return nil, err
	}
	return &bertEncoder{m}, nil
}

type bertEncoder struct{ *bert.Model }

func (m *bertEncoder) forward(ws any, in bert.Input) (bert.Output, error) {
	return m.Forward(ws.(*bert.Workspace), in)
}

func (*bertEncoder) newWorkspace() any { return new(bert.Workspace) }

func (m *bertEncoder) maxTokens() int { return m.Config().MaxTokens() }

// newTokenizer builds the tokenizer the header records; its type picks
// the model.
func newTokenizer(c *modelfile.TokenizerConfig, vocabSize int) (tokenizer.Encoder, error) {
	switch c.Type {
	case "", modelfile.TokenizerWordPiece:
		return tokenizer.New(c.WordPiece())
	case modelfile.TokenizerBPE, modelfile.TokenizerUnigram:
		return newPipeline(c, vocabSize)
	}
	return nil, errfmt.Errorf("tokenizer type %q not supported (want %s, %s or %s)", c.Type,
		modelfile.TokenizerWordPiece, modelfile.TokenizerBPE, modelfile.TokenizerUnigram)
}

// ActivationBytes is the memory the encoder's activations take for a batch
// of tokens padded tokens pooled from the last layer: per token, the hidden
// state, attention output, context and q/k/v (6·Dim) and the feed-forward
// output (IntermediateSize), all float32. Divide a memory budget by
// ActivationBytes(1) to choose EmbedOptions.MaxBatchTokens.
func (i Info) ActivationBytes(tokens int) int64 {
	return int64(tokens) * 4 * int64(6*i.Dim+i.IntermediateSize)
}
