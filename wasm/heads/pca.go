package main

import (
	"encoding/json"

	"github.com/wasmbert/wasmbert/model/similarity"
)

type pcaRequest struct {
	Dim  int `json:"dim"`
	Dims int `json:"dims"` // components kept
}

type pcaResult struct {
	Points   [][]float32 `json:"points"`
	Variance []float64   `json:"variance"`
}

// pca projects the vectors onto their first dims principal components.
func pca(raw json.RawMessage, data []float32, _ func(done, total int)) (any, error) {
	var req pcaRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	x, err := rows(data, len(data)/max(req.Dim, 1), req.Dim)
	if err != nil {
		return nil, err
	}
	p, err := similarity.FitPCA(x, req.Dims)
	if err != nil {
		return nil, err
	}
	res := pcaResult{Points: make([][]float32, len(x)), Variance: p.Variance}
	for i, v := range x {
		if res.Points[i], err = p.Transform(v); err != nil {
			return nil, err
		}
	}
	return res, nil
}
