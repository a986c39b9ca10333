package faq

import (
	"fmt"

	"github.com/wasmbert/wasmbert/model/similarity"
)

// Index holds the embedded questions of a FAQ.
type Index struct {
	entries []Entry
	vectors [][]float32
}

// Result is the best entry for a query. Matched is false when its score is
// below the threshold: the query is then not one of the known questions.
type Result struct {
	Entry
	Index   int     `json:"index"`
	Score   float32 `json:"score"`
	Matched bool    `json:"matched"`
}

// NewIndex pairs each entry with the embedding of its question.
func NewIndex(entries []Entry, vectors [][]float32) (*Index, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("faq index: no entries")
	}
	if len(entries) != len(vectors) {
		return nil, fmt.Errorf("faq index: %d entries but %d vectors", len(entries), len(vectors))
	}
	return &Index{entries: entries, vectors: vectors}, nil
}

// Match returns the entry whose question is most similar (cosine) to query.
func (ix *Index) Match(query []float32, threshold float32) (Result, error) {
	top, err := similarity.TopK(query, ix.vectors, 1)
	if err != nil {
		return Result{}, fmt.Errorf("faq match: %w", err)
	}
	best := top[0]
	return Result{Entry: ix.entries[best.Index], Index: best.Index, Score: best.Score, Matched: best.Score >= threshold}, nil
}

// DefaultThreshold separates paraphrases of a FAQ question from unrelated
// queries for all-MiniLM-L6-v2 embeddings: on testdata/queries.tsv
// off-topic queries score at most 0.22 and most paraphrases 0.4 or more.
// Other models need their own value.
const DefaultThreshold = 0.35
