package pooling

import (
	"strconv"
	"strings"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Combine says how LayerSpec merges several hidden layers.
type Combine string

const (
	Single Combine = ""       // one layer, LayerSpec.Index
	Sum    Combine = "sum"    // element-wise sum of the last LayerSpec.Last layers
	Avg    Combine = "mean"   // element-wise mean of the last LayerSpec.Last layers
	Concat Combine = "concat" // the last LayerSpec.Last layers side by side, oldest first
)

// LayerSpec chooses the hidden states to pool. Hidden states are numbered as
// HF's output_hidden_states: 0 is the embeddings output, L the last layer;
// a negative Index counts from the end (-1 = last). ParseLayer("") gives
// the last layer.
type LayerSpec struct {
	Index   int
	Combine Combine
	Last    int
}

// ParseLayer parses "N" or "-N" (one layer), or "sum:K", "mean:K",
// "concat:K" (the last K layers). "" is the last layer.
func ParseLayer(s string) (LayerSpec, error) {
	if s == "" {
		return LayerSpec{Index: -1}, nil
	}
	if c, k, ok := strings.Cut(s, ":"); ok {
		n, err := strconv.Atoi(k)
		if err != nil || n <= 0 {
			return LayerSpec{}, errfmt.Errorf("layer %q: want a positive layer count after %q", s, c+":")
		}
		switch Combine(c) {
		case Sum, Avg, Concat:
			return LayerSpec{Combine: Combine(c), Last: n}, nil
		}
		return LayerSpec{}, errfmt.Errorf("layer %q: unknown combination %q (want sum, mean or concat)", s, c)
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		return LayerSpec{}, errfmt.Errorf("layer %q: not an index or sum:K, mean:K, concat:K", s)
	}
	return LayerSpec{Index: i}, nil
}

// IsLast reports whether the spec picks only the last of numLayers
// transformer layers, so the encoder need not keep the others.
func (s LayerSpec) IsLast(numLayers int) bool {
	return s.Combine == Single && (s.Index == -1 || s.Index == numLayers)
}

// Dim is the width of the selected states for hidden size h.
func (s LayerSpec) Dim(h int) int {
	if s.Combine == Concat {
		return s.Last * h
	}
	return h
}

// Select returns the chosen hidden states [tokens, Dim(h)] from all hidden
// states (all[0] = embeddings ... all[L] = last layer, each [tokens, h]).
// A single layer is returned without copying.
func (s LayerSpec) Select(all [][]float32, tokens, h int) ([]float32, error) {
	n := len(all)
	if s.Combine == Single {
		i := s.Index
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, errfmt.Errorf("layer %d out of range for %d hidden states (0..%d or -%d..-1)", s.Index, n, n-1, n)
		}
		return all[i][:tokens*h], nil
	}
	if s.Last <= 0 || s.Last > n {
		return nil, errfmt.Errorf("%s of the last %d layers: the model has %d hidden states", string(s.Combine), s.Last, n)
	}
	layers := all[n-s.Last:]
	switch s.Combine {
	case Sum, Avg:
		out := make([]float32, tokens*h)
		for _, l := range layers {
			for i, v := range l[:tokens*h] {
				out[i] += v
			}
		}
		if s.Combine == Avg {
			inv := 1 / float32(len(layers))
			for i := range out {
				out[i] *= inv
			}
		}
		return out, nil
	case Concat:
		w := len(layers) * h
		out := make([]float32, tokens*w)
		for t := 0; t < tokens; t++ {
			for j, l := range layers {
				copy(out[t*w+j*h:t*w+(j+1)*h], l[t*h:(t+1)*h])
			}
		}
		return out, nil
	}
	return nil, errfmt.Errorf("unknown layer combination %q", string(s.Combine))
}
