package engine

import (
	"fmt"
	"maps"
	"slices"
)

// SentenceOptions returns the options that compute the sentence features a
// classifier head records (model/heads Classifier.Features: input,
// pooling, layer, normalize), so the head is applied to the vectors it was
// trained on: an HF fine-tuned head reads the unnormalized [CLS] state, a
// head trained on the model's embeddings its pooled vector. Features it
// cannot compute are an error.
func SentenceOptions(features map[string]string) (EmbedOptions, error) {
	var o EmbedOptions
	for _, k := range slices.Sorted(maps.Keys(features)) {
		v := features[k]
		switch k {
		case "input":
			if v != "sentence" {
				return o, fmt.Errorf("head takes %q vectors, not sentence vectors", v)
			}
		case "pooling":
			o.Pooling = v
		case "layer":
			o.Layer = v
		case "normalize":
			if v != "true" && v != "false" {
				return o, fmt.Errorf("head feature normalize=%q, want true or false", v)
			}
			n := v == "true"
			o.Normalize = &n
		default:
			return o, fmt.Errorf("head was trained on features %v; only input, pooling, layer and normalize can be computed here", features)
		}
	}
	return o, nil
}
