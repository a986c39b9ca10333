package api

import (
	"encoding/json"
	"fmt"
)

// Classifier is a Model deployed with a classification head (the worker's HEAD_KEY, e.g. the
// X.head.json `wasmbert convert` writes for a Hugging Face fine-tuned checkpoint):
// POST /v1/classify applies it.
type Classifier interface {
	Model
	// Classify returns one prediction per text and the number of tokens the encoder saw.
	Classify(texts []string) ([]Prediction, int, error)
}

// Prediction is the head's label for one text, every label's probability, and the raw
// logits in the head's label order.
type Prediction struct {
	Label  string             `json:"label"`
	Scores map[string]float32 `json:"scores"`
	Logits []float32          `json:"logits"`
}

type classifyResponse struct {
	Object string           `json:"object"`
	Data   []classification `json:"data"`
	Model  string           `json:"model"`
	Usage  usage            `json:"usage"`
}

type classification struct {
	Object string `json:"object"`
	Index  int    `json:"index"`
	Prediction
}

// ClassifyRequest is a validated POST /v1/classify body.
type ClassifyRequest struct {
	Input []string
	Model string
}

// ParseClassifyRequest decodes and validates a classify request body: {"input", "model"?}.
func ParseClassifyRequest(body []byte, lim Limits) (*ClassifyRequest, error) {
	lim = lim.withDefaults()
	var raw struct {
		Input json.RawMessage `json:"input"`
		Model *string         `json:"model"`
	}
	if err := decodeObject(body, &raw); err != nil {
		return nil, err
	}
	input, err := parseTexts("input", raw.Input, lim)
	if err != nil {
		return nil, err
	}
	req := &ClassifyRequest{Input: input}
	if raw.Model != nil {
		req.Model = *raw.Model
	}
	return req, nil
}

func (h *Handler) serveClassify(w *Response, r *Request) error {
	body, err := h.readBody(r)
	if err != nil {
		return err
	}
	req, err := ParseClassifyRequest(body, h.Limits)
	if err != nil {
		return err
	}
	m, err := h.model(req.Model)
	if err != nil {
		return err
	}
	c, ok := m.(Classifier)
	if !ok {
		return &Error{Status: statusNotFound, Code: "no_head",
			Message: "this worker has no classification head: deploy it with HEAD_KEY and HEAD_SHA256 (docs/edge-worker.md)"}
	}
	if err := h.checkWork(m, req.Input); err != nil {
		return err
	}
	preds, tokens, err := c.Classify(req.Input)
	if err == nil && len(preds) != len(req.Input) {
		err = fmt.Errorf("head returned %d predictions for %d texts", len(preds), len(req.Input))
	}
	if err != nil {
		return &Error{Status: statusInternalServerError, Code: "classify_failed", Message: err.Error()}
	}
	resp := classifyResponse{Object: "list", Data: make([]classification, len(preds)), Model: m.Name(),
		Usage: usage{PromptTokens: tokens, TotalTokens: tokens}}
	for i, p := range preds {
		resp.Data[i] = classification{Object: "classification", Index: i, Prediction: p}
	}
	return writeJSON(w, statusOK, resp)
}
