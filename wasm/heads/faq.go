package main

import (
	"encoding/json"
	"fmt"

	"github.com/wasmbert/wasmbert/model/faq"
	"github.com/wasmbert/wasmbert/model/similarity"
)

type faqRequest struct {
	Dim       int         `json:"dim"`
	Entries   []faq.Entry `json:"entries"`
	Threshold float32     `json:"threshold"`
	K         int         `json:"k"` // results wanted, best first
}

// faqMatch answers the query (the last row of data) from the entries (the
// rows before it). The best result is faq.Index.Match's; the others, when
// k > 1, come from the same cosine ranking.
func faqMatch(raw json.RawMessage, data []float32, _ func(done, total int)) (any, error) {
	var req faqRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	if req.K < 1 {
		return nil, fmt.Errorf("k = %d, want at least 1", req.K)
	}
	vecs, err := rows(data, len(req.Entries)+1, req.Dim)
	if err != nil {
		return nil, err
	}
	query, questions := vecs[len(req.Entries)], vecs[:len(req.Entries)]
	ix, err := faq.NewIndex(req.Entries, questions)
	if err != nil {
		return nil, err
	}
	best, err := ix.Match(query, req.Threshold)
	if err != nil {
		return nil, err
	}
	out := []faq.Result{best}
	if req.K > 1 {
		top, err := similarity.TopK(query, questions, req.K)
		if err != nil {
			return nil, err
		}
		for _, m := range top {
			if m.Index != best.Index {
				out = append(out, faq.Result{Entry: req.Entries[m.Index], Index: m.Index, Score: m.Score, Matched: m.Score >= req.Threshold})
			}
		}
		out = out[:min(req.K, len(out))]
	}
	return out, nil
}
