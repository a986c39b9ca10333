package main

import (
	"encoding/json"
	"fmt"
)

// op is one operation: it decodes its request from raw and reads its
// vectors from data; training operations report each epoch to progress
// (nil when nobody listens).
type op func(raw json.RawMessage, data []float32, progress func(done, total int)) (any, error)

var ops = map[string]op{
	"trainClassifier": trainClassifier,
	"classify":        classify,
	"loadClassifier":  loadClassifier,
	"trainTagger":     trainTagger,
	"ner":             ner,
	"loadTagger":      loadTagger,
	"faq":             faqMatch,
	"pca":             pca,
}

// run performs the operation named name.
func run(name string, raw json.RawMessage, data []float32, progress func(done, total int)) (any, error) {
	fn, ok := ops[name]
	if !ok {
		return nil, fmt.Errorf("wasmbert: unknown heads operation %q", name)
	}
	v, err := fn(raw, data, progress)
	if err != nil {
		return nil, fmt.Errorf("wasmbert: %s: %w", name, err)
	}
	return v, nil
}

func decode(raw json.RawMessage, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("request: %w", err)
	}
	return nil
}

// rows splits data into n vectors of dim values each.
func rows(data []float32, n, dim int) ([][]float32, error) {
	if n < 0 || dim <= 0 {
		return nil, fmt.Errorf("%d vectors of dimension %d", n, dim)
	}
	if len(data) != n*dim {
		return nil, fmt.Errorf("got %d values for %d vectors of dimension %d", len(data), n, dim)
	}
	out := make([][]float32, n)
	for i := range out {
		out[i] = data[i*dim : (i+1)*dim : (i+1)*dim]
	}
	return out, nil
}
