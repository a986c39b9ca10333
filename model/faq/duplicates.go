package faq

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/wasmbert/wasmbert/model/similarity"
)

// Pair is two items of a list (I < J) and their cosine similarity.
type Pair struct {
	I     int     `json:"i"`
	J     int     `json:"j"`
	Score float32 `json:"score"`
}

// Duplicates returns every pair of vectors whose cosine similarity is at
// least threshold, most similar first (ties in index order).
func Duplicates(vectors [][]float32, threshold float32) ([]Pair, error) {
	var pairs []Pair
	for i := range vectors {
		for j := i + 1; j < len(vectors); j++ {
			s, err := similarity.Cosine(vectors[i], vectors[j])
			if err != nil {
				return nil, fmt.Errorf("duplicates: items %d and %d: %w", i, j, err)
			}
			if s >= threshold {
				pairs = append(pairs, Pair{I: i, J: j, Score: s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b Pair) int { return cmp.Compare(b.Score, a.Score) })
	return pairs, nil
}

// Neighbours returns, for each vector, the k others most similar to it,
// best first.
func Neighbours(vectors [][]float32, k int) ([][]similarity.Match, error) {
	if k < 0 {
		return nil, fmt.Errorf("neighbours: k = %d", k)
	}
	out := make([][]similarity.Match, len(vectors))
	for i, v := range vectors {
		// One extra result so dropping the item itself still leaves k.
		top, err := similarity.TopK(v, vectors, k+1)
		if err != nil {
			return nil, fmt.Errorf("neighbours of %d: %w", i, err)
		}
		top = slices.DeleteFunc(top, func(m similarity.Match) bool { return m.Index == i })
		out[i] = top[:min(k, len(top))]
	}
	return out, nil
}
