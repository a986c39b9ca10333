package main

import (
	"fmt"
	"io"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
	"github.com/wasmbert/wasmbert/model/engine"
)

// engineModel serves a model/engine.Engine with its own pooling and normalization defaults.
type engineModel struct {
	name string
	eng  *engine.Engine
}

func newEngineModel(name string, r io.Reader) (api.Model, error) {
	eng, err := engine.Load(r)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	return &engineModel{name: name, eng: eng}, nil
}

func (m *engineModel) Name() string { return m.name }
func (m *engineModel) Dims() int    { return m.eng.Info().Dim }

func (m *engineModel) Embed(texts []string) ([][]float32, int, error) {
	embs, err := m.eng.Embed(texts, engine.EmbedOptions{})
	if err != nil {
		return nil, 0, fmt.Errorf("embed: %w", err)
	}
	vecs := make([][]float32, len(embs))
	tokens := 0
	for i, e := range embs {
		vecs[i] = e.Vector
		tokens += e.NumTokens // after truncation: what the encoder saw
	}
	return vecs, tokens, nil
}
