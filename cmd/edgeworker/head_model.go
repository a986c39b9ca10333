package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

// maxHeadBytes bounds the head file, which is read whole (it is JSON): a sequence head of a
// 768-wide encoder, pooler included, is about 7 MB.
const maxHeadBytes = 32 << 20

// headModel is the served model with the classification head the deployment names
// (HEAD_KEY): POST /v1/classify applies it on the vectors its features record.
type headModel struct {
	*engineModel
	head  *heads.Classifier
	embed engine.EmbedOptions
}

// newHeadModel reads a head file (model/heads' JSON, as `wasmbert convert` writes for a
// fine-tuned checkpoint), checks its sha256 and that it reads this encoder's hidden states.
func newHeadModel(m api.Model, r io.Reader, wantSHA256 string) (api.Model, error) {
	em, ok := m.(*engineModel)
	if !ok {
		return nil, fmt.Errorf("head: model %T has no engine", m)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxHeadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	if len(b) > maxHeadBytes {
		return nil, fmt.Errorf("head file is more than %d bytes", maxHeadBytes)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != wantSHA256 {
		return nil, fmt.Errorf("head file sha256 is %s, HEAD_SHA256 says %s", got, wantSHA256)
	}
	c, err := heads.LoadClassifier(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("head: %w (the worker serves classifier heads)", err)
	}
	if dim := em.Dims(); c.Inputs() != dim {
		return nil, fmt.Errorf("head takes %d-dimensional vectors but %s's hidden size is %d: it was fine-tuned or trained on another encoder", c.Inputs(), em.Name(), dim)
	}
	o, err := engine.SentenceOptions(c.Features)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	return &headModel{engineModel: em, head: c, embed: o}, nil
}

func (m *headModel) Classify(texts []string) ([]api.Prediction, int, error) {
	vecs, tokens, err := m.engineModel.embed(texts, m.embed)
	if err != nil {
		return nil, 0, err
	}
	preds, err := m.head.Classify(vecs)
	if err != nil {
		return nil, 0, err
	}
	out := make([]api.Prediction, len(preds))
	for i, p := range preds {
		out[i] = api.Prediction{Label: p.Label, Scores: p.Scores, Logits: p.Logits}
	}
	return out, tokens, nil
}
