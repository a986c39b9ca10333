package api

import (
	"math"
)

type similarityResponse struct {
	Object string `json:"object"`
	// Scores[i][j] is the cosine similarity of a[i] and b[j].
	Scores [][]float32 `json:"scores"`
	// Similarity is Scores[0][0], present when both a and b were single strings.
	Similarity *float32 `json:"similarity,omitempty"`
	Model      string   `json:"model"`
	Usage      usage    `json:"usage"`
}

func (h *Handler) serveSimilarity(w *Response, r *Request) error {
	body, err := h.readBody(r)
	if err != nil {
		return err
	}
	req, err := ParseSimilarityRequest(body, h.Limits)
	if err != nil {
		return err
	}
	m, err := h.model(req.Model)
	if err != nil {
		return err
	}
	// The cosines (at most MAX_INPUTS² of them) cost little next to encoding both sides.
	texts := append(append([]string(nil), req.A...), req.B...)
	if err := h.checkWork(m, texts); err != nil {
		return err
	}
	vecs, tokens, err := embed(m, texts)
	if err != nil {
		return err
	}
	a, b := vecs[:len(req.A)], vecs[len(req.A):]
	resp := similarityResponse{Object: "similarity", Scores: make([][]float32, len(a)), Model: m.Name(),
		Usage: usage{PromptTokens: tokens, TotalTokens: tokens}}
	for i := range a {
		resp.Scores[i] = make([]float32, len(b))
		for j := range b {
			resp.Scores[i][j] = cosine(a[i], b[j])
		}
	}
	if req.Single {
		resp.Similarity = &resp.Scores[0][0]
	}
	return writeJSON(w, statusOK, resp)
}

func cosine(a, b []float32) float32 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return float32(dot / math.Sqrt(na*nb))
}
