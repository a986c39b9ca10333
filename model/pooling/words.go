package pooling

import "github.com/wasmbert/wasmbert/internal/errfmt"

// WordAgg says how a word split into several subword tokens gets one vector.
type WordAgg string

const (
	First   WordAgg = "first" // the vector of the word's first subword
	MeanAgg WordAgg = "mean"  // the mean of the word's subword vectors
)

// Words groups token vectors by word. wordIDs[t] is the word of token t,
// negative for special tokens (which are left out); hidden is
// [len(wordIDs), dim]. It returns the words in order of first appearance,
// each with its vector and the tokens it covers.
func Words(hidden []float32, wordIDs []int, dim int, agg WordAgg) ([]Word, error) {
	if agg != First && agg != MeanAgg {
		return nil, errfmt.Errorf("unknown word aggregation %q (want first or mean)", string(agg))
	}
	if len(hidden) < len(wordIDs)*dim {
		return nil, errfmt.Errorf("words: %d token ids for %d values of width %d", len(wordIDs), len(hidden), dim)
	}
	var words []Word
	index := map[int]int{}
	for t, w := range wordIDs {
		if w < 0 {
			continue
		}
		row := hidden[t*dim : (t+1)*dim]
		i, ok := index[w]
		if !ok {
			index[w] = len(words)
			words = append(words, Word{ID: w, Tokens: []int{t}, Vector: append([]float32(nil), row...)})
			continue
		}
		wd := &words[i]
		wd.Tokens = append(wd.Tokens, t)
		if agg == MeanAgg {
			for k, v := range row {
				wd.Vector[k] += v
			}
		}
	}
	if agg == MeanAgg {
		for i := range words {
			inv := 1 / float32(len(words[i].Tokens))
			for k := range words[i].Vector {
				words[i].Vector[k] *= inv
			}
		}
	}
	return words, nil
}

// Word is one word's vector and the token positions it was built from.
type Word struct {
	ID     int
	Tokens []int
	Vector []float32
}
