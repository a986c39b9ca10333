// Package similarity compares and reduces embedding vectors: cosine
// similarity, top-k search, PCA and Matryoshka truncation.
package similarity

import (
	"cmp"
	"math"
	"slices"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Cosine returns the cosine similarity of a and b, 0 if either is zero.
func Cosine(a, b []float32) (float32, error) {
	if len(a) != len(b) {
		return 0, errfmt.Errorf("cosine: vectors of length %d and %d", len(a), len(b))
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0, nil
	}
	return float32(dot / math.Sqrt(na*nb)), nil
}

// Match is one search result: the corpus index and its cosine similarity.
type Match struct {
	Index int
	Score float32
}

// TopK returns the k corpus vectors most similar (cosine) to query, best
// first; equal scores keep corpus order, so results are reproducible.
func TopK(query []float32, corpus [][]float32, k int) ([]Match, error) {
	if k < 0 {
		return nil, errfmt.Errorf("top-k: k = %d", k)
	}
	matches := make([]Match, len(corpus))
	for i, v := range corpus {
		s, err := Cosine(query, v)
		if err != nil {
			return nil, errfmt.Errorf("top-k: corpus vector %d: %w", i, err)
		}
		matches[i] = Match{Index: i, Score: s}
	}
	slices.SortStableFunc(matches, func(a, b Match) int { return cmp.Compare(b.Score, a.Score) })
	return matches[:min(k, len(matches))], nil
}

// Truncate is Matryoshka truncation: the first dims components of v,
// rescaled to unit length (a zero vector stays zero). The engine's
// Dimensions option and the edge API's dimensions parameter both use it.
func Truncate(v []float32, dims int) ([]float32, error) {
	if dims <= 0 || dims > len(v) {
		return nil, errfmt.Errorf("truncate: %d dimensions of a %d-dimensional vector", dims, len(v))
	}
	out := append([]float32(nil), v[:dims]...)
	var s float64
	for _, x := range out {
		s += float64(x) * float64(x)
	}
	if s > 0 {
		inv := 1 / math.Sqrt(s)
		for i := range out {
			out[i] = float32(float64(out[i]) * inv)
		}
	}
	return out, nil
}
