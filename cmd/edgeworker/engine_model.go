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
// An input longer than the model's maximum length is embedded whole, as overlapping windows
// whose vectors are averaged, rather than cut silently: the API's character limit
// (MAX_INPUT_CHARS, a 413 past it) is what bounds the windows of one input.
type engineModel struct {
	name        string
	eng         *engine.Engine
	batchTokens int // padded tokens per forward that keep activations within activationBudget
	chunk       engine.Chunking
}

func newEngineModel(name string, r io.Reader) (api.Model, error) {
	eng, err := engine.Load(r)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	info := eng.Info()
	// Windows as long as the model takes, overlapping by 1/8, as the JS library's chunk: true.
	size := info.MaxLength - 2
	return &engineModel{name: name, eng: eng, batchTokens: batchTokens(info, activationBudget), chunk: engine.Chunking{Size: size, Overlap: size / 8}}, nil
}

// batchTokens is how many padded tokens of activations fit in budget bytes, but at least one
// whole sequence: the engine encodes a longer sequence alone anyway.
func batchTokens(info engine.Info, budget int64) int {
	return max(int(budget/info.ActivationBytes(1)), info.MaxLength)
}

func (m *engineModel) Name() string { return m.name }
func (m *engineModel) Dims() int    { return m.eng.Info().Dim }

func (m *engineModel) Embed(texts []string) ([][]float32, int, error) {
	embs, err := m.eng.Embed(texts, engine.EmbedOptions{MaxBatchTokens: m.batchTokens, Chunk: &m.chunk})
	if err != nil {
		return nil, 0, fmt.Errorf("embed: %w", err)
	}
	vecs := make([][]float32, len(texts))
	tokens := 0
	for i, e := range embs {
		vecs[i] = e.Vector
		tokens += e.NumTokens // what the encoder saw: every window of a long input
	}
	return vecs, tokens, nil
}
