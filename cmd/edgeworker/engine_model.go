package main

import (
	"fmt"
	"io"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
	"github.com/wasmbert/wasmbert/model/engine"
)

// activationBudget bounds the encoder activations of one engine.Embed call. The engine's
// workspace grows to the largest batch it has run (by default up to 4096 tokens: 63 MB for
// MiniLM) and is kept, and wasm memory never shrinks, so a single 32 × 256-token request would
// push the isolate past its 128 MB. The worker asks the engine for batches that fit this budget
// instead (EmbedOptions.MaxBatchTokens), which bounds memory without refusing any request the
// limits allow.
const activationBudget = 8 << 20

// engineModel serves a model/engine.Engine with its own pooling and normalization defaults.
type engineModel struct {
	name        string
	eng         *engine.Engine
	batchTokens int // padded tokens per forward that keep activations within activationBudget
	// yield runs between slices of a request's texts, so that requests queued behind a long
	// one get the isolate in between (shim/worker.mjs); nil outside workerd.
	yield func()
}

func newEngineModel(name string, r io.Reader, yield func()) (api.Model, error) {
	eng, err := engine.Load(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err) // engine.Load says "load model: "
	}
	return &engineModel{name: name, eng: eng, batchTokens: batchTokens(eng.Info(), activationBudget), yield: yield}, nil
}

// batchTokens is how many padded tokens of activations fit in budget bytes, but at least one
// whole sequence: the engine encodes a longer sequence alone anyway.
func batchTokens(info engine.Info, budget int64) int {
	return max(int(budget/info.ActivationBytes(1)), info.MaxLength)
}

func (m *engineModel) Name() string { return m.name }
func (m *engineModel) Dims() int    { return m.eng.Info().Dim }

// Tokens counts every token of each text, also past the maximum length, since Embed reads
// them all (as windows).
func (m *engineModel) Tokens(texts []string) ([]int, error) {
	out := make([]int, len(texts))
	for i, t := range texts {
		enc, err := m.eng.Tokenize(t)
		if err != nil {
			return nil, fmt.Errorf("tokenize text %d: %w", i, err)
		}
		out[i] = enc.FullLength
	}
	return out, nil
}

// chunking embeds a text longer than the model's maximum length as windows of the longest size
// with the engine's default overlap, averaged, instead of cutting it: a client of an HTTP API
// cannot see a cut, and sentence vectors of a long document are better for search than those
// of its first 256 tokens.
var chunking = engine.Chunking{}

// Embed embeds texts in slices of about batchTokens tokens, one encoder batch each, and
// yields between them.
func (m *engineModel) Embed(texts []string) ([][]float32, int, error) {
	return m.embed(texts, engine.EmbedOptions{Chunk: &chunking})
}

// embed is Embed with other options: a head's features, which read a text as transformers
// does, cut at the model's maximum length rather than windowed.
func (m *engineModel) embed(texts []string, o engine.EmbedOptions) ([][]float32, int, error) {
	o.MaxBatchTokens = m.batchTokens
	counts, err := m.Tokens(texts)
	if err != nil {
		return nil, 0, err
	}
	vecs := make([][]float32, 0, len(texts))
	tokens := 0
	for lo := 0; lo < len(texts); {
		hi, n := lo, 0
		for hi < len(texts) && (hi == lo || n+counts[hi] <= m.batchTokens) {
			n += counts[hi]
			hi++
		}
		if lo > 0 && m.yield != nil {
			m.yield()
		}
		embs, err := m.eng.Embed(texts[lo:hi], o)
		if err != nil {
			return nil, 0, err // the engine says "embed: "
		}
		for _, e := range embs {
			vecs = append(vecs, e.Vector)
			tokens += e.NumTokens // what the encoder saw, every window of a long text
		}
		lo = hi
	}
	return vecs, tokens, nil
}
