package engine

import (
	"maps"
	"slices"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// SentenceOptions returns the options that compute the sentence features a
// classifier head records (model/heads Classifier.Features: input,
// pooling, layer, normalize), so the head is applied to the vectors it was
// trained on: an HF fine-tuned head reads the unnormalized [CLS] state, a
// head trained on the model's embeddings its pooled vector. Features it
// cannot compute are an error. (errfmt, not fmt: fmt would cost the engine
// wasm ~80 kB raw, docs/design.md "Engine size".)
func SentenceOptions(features map[string]string) (EmbedOptions, error) {
	var o EmbedOptions
	keys := slices.Sorted(maps.Keys(features))
	for _, k := range keys {
		v := features[k]
		switch k {
		case "input":
			if v != "sentence" {
				return o, errfmt.Errorf("head takes %q vectors, not sentence vectors", v)
			}
		case "pooling":
			o.Pooling = v
		case "layer":
			o.Layer = v
		case "normalize":
			if v != "true" && v != "false" {
				return o, errfmt.Errorf("head feature normalize=%q, want true or false", v)
			}
			n := v == "true"
			o.Normalize = &n
		default:
			return o, errfmt.Errorf("head was trained on features %v (%s unknown); only input, pooling, layer and normalize can be computed here", keys, k)
		}
	}
	return o, nil
}
