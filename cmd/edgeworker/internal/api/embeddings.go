package api

import (
	"encoding/base64"
	"encoding/binary"
	"math"
)

type embeddingsResponse struct {
	Object string          `json:"object"`
	Data   []embeddingData `json:"data"`
	Model  string          `json:"model"`
	Usage  usage           `json:"usage"`
}

type embeddingData struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"` // []float32, or a base64 string of little-endian float32
}

type usage struct {
	PromptTokens int `json:"prompt_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

func (h *Handler) serveEmbeddings(w *Response, r *Request) error {
	body, err := h.readBody(r)
	if err != nil {
		return err
	}
	req, err := ParseEmbeddingsRequest(body, h.Limits)
	if err != nil {
		return err
	}
	m, err := h.model(req.Model)
	if err != nil {
		return err
	}
	if req.Dimensions > m.Dims() {
		return badRequest("invalid_dimensions", "dimensions %d is more than the model's %d", req.Dimensions, m.Dims())
	}
	if err := h.checkWork(m, req.Input); err != nil {
		return err
	}
	vecs, tokens, err := embed(m, req.Input)
	if err != nil {
		return err
	}
	resp := embeddingsResponse{Object: "list", Data: make([]embeddingData, len(vecs)), Model: m.Name(),
		Usage: usage{PromptTokens: tokens, TotalTokens: tokens}}
	for i, v := range vecs {
		if req.Dimensions > 0 && req.Dimensions < len(v) {
			v = shorten(v, req.Dimensions)
		}
		var e any = v
		if req.EncodingFormat == "base64" {
			e = encodeBase64(v)
		}
		resp.Data[i] = embeddingData{Object: "embedding", Index: i, Embedding: e}
	}
	return writeJSON(w, statusOK, resp)
}

// shorten keeps the first n components and rescales them to unit length, which is what the
// OpenAI "dimensions" parameter returns (Matryoshka-style truncation).
func shorten(v []float32, n int) []float32 {
	out := make([]float32, n)
	copy(out, v[:n])
	var ss float64
	for _, x := range out {
		ss += float64(x) * float64(x)
	}
	if ss == 0 {
		return out
	}
	inv := 1 / math.Sqrt(ss)
	for i := range out {
		out[i] = float32(float64(out[i]) * inv)
	}
	return out
}

func encodeBase64(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return base64.StdEncoding.EncodeToString(b)
}
