package api

import (
	"encoding/base64"
	"encoding/binary"
	"math"

	"github.com/wasmbert/wasmbert/model/similarity"
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
			// The OpenAI dimensions parameter returns unit vectors.
			if v, err = similarity.Truncate(v, req.Dimensions); err != nil {
				return err
			}
		}
		var e any = v
		if req.EncodingFormat == "base64" {
			e = encodeBase64(v)
		}
		resp.Data[i] = embeddingData{Object: "embedding", Index: i, Embedding: e}
	}
	return writeJSON(w, statusOK, resp)
}

func encodeBase64(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return base64.StdEncoding.EncodeToString(b)
}
