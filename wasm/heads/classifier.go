package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/wasmbert/wasmbert/model/heads"
)

// A head crosses to JS as the JSON object model/heads saves, so JS can
// store it as it is and the CLI can load it.

type trainClassifierRequest struct {
	Dim      int               `json:"dim"`
	Labels   []string          `json:"labels"`
	Features map[string]string `json:"features"`
	Options  trainOptions      `json:"options"`
}

func trainClassifier(raw json.RawMessage, data []float32, progress func(done, total int)) (any, error) {
	var req trainClassifierRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	if len(req.Labels) == 0 {
		return nil, fmt.Errorf("empty training set")
	}
	x, err := rows(data, len(req.Labels), req.Dim)
	if err != nil {
		return nil, err
	}
	c, err := heads.TrainClassifier(x, req.Labels, req.Options.heads(progress))
	if err != nil {
		return nil, err
	}
	c.Features = req.Features
	return saved(c.Save)
}

type classifyRequest struct {
	Head json.RawMessage `json:"head"`
	Dim  int             `json:"dim"`
}

func classify(raw json.RawMessage, data []float32, _ func(done, total int)) (any, error) {
	var req classifyRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	c, err := heads.LoadClassifier(bytes.NewReader(req.Head))
	if err != nil {
		return nil, err
	}
	if req.Dim != c.Inputs() {
		return nil, fmt.Errorf("vectors have %d dimensions, the classifier takes %d", req.Dim, c.Inputs())
	}
	x, err := rows(data, len(data)/max(req.Dim, 1), req.Dim)
	if err != nil {
		return nil, err
	}
	return c.Classify(x)
}

// loadClassifier checks a saved classifier and returns it as saved again,
// so fields this build does not know are rejected rather than dropped.
func loadClassifier(raw json.RawMessage, _ []float32, _ func(done, total int)) (any, error) {
	c, err := heads.LoadClassifier(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return saved(c.Save)
}

func saved(save func(io.Writer) error) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := save(&b); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes())), nil
}
