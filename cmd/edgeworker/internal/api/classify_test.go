package api

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// vowelClassifier labels a text "many" when it has more a's than words.
type vowelClassifier struct{ countingModel }

func (m vowelClassifier) Classify(texts []string) ([]Prediction, int, error) {
	vecs, tokens, _ := m.Embed(texts)
	out := make([]Prediction, len(texts))
	for i, v := range vecs {
		many := v[1] > float32(len(strings.Fields(texts[i])))
		p := Prediction{Label: "few", Scores: map[string]float32{"few": 1, "many": 0}, Logits: []float32{1, 0}}
		if many {
			p = Prediction{Label: "many", Scores: map[string]float32{"few": 0, "many": 1}, Logits: []float32{0, 1}}
		}
		out[i] = p
	}
	return out, tokens, nil
}

func TestHandlerClassify(t *testing.T) {
	auth := map[string]string{"Authorization": "Bearer s3cret"}
	withHead := newTestHandler()
	withHead.Model = func() (Model, error) { return vowelClassifier{}, nil }
	tests := []struct {
		name   string
		h      *Handler
		body   string
		status int
		code   string
		labels []string
	}{
		{"one text", withHead, `{"input":"aaa b"}`, 200, "", []string{"many"}},
		{"texts", withHead, `{"input":["aaa b","c d e"],"model":"test-model"}`, 200, "", []string{"many", "few"}},
		{"no head", newTestHandler(), `{"input":"a"}`, 404, "no_head", nil},
		{"empty input", withHead, `{"input":[]}`, 400, "invalid_input", nil},
		{"missing input", withHead, `{}`, 400, "missing_input", nil},
		{"other model", withHead, `{"input":"a","model":"bert-base"}`, 404, "model_not_found", nil},
		{"unknown field type", withHead, `{"input":"a","model":3}`, 400, "invalid_type", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/v1/classify", strings.NewReader(tt.body))
			for k, v := range auth {
				req.Header.Set(k, v)
			}
			rec := serveHTTP(tt.h, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				var e struct{ Error struct{ Code string } }
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code != tt.code {
					t.Fatalf("error code %q (%v), want %q: %s", e.Error.Code, err, tt.code, rec.Body)
				}
				return
			}
			var resp struct {
				Object string
				Data   []struct {
					Object string
					Index  int
					Label  string
					Logits []float32
				}
				Model string
				Usage struct {
					TotalTokens int `json:"total_tokens"`
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			if resp.Object != "list" || resp.Model != "test-model" || len(resp.Data) != len(tt.labels) || resp.Usage.TotalTokens == 0 {
				t.Fatalf("response %s", rec.Body)
			}
			for i, d := range resp.Data {
				if d.Object != "classification" || d.Index != i || d.Label != tt.labels[i] || len(d.Logits) != 2 {
					t.Errorf("data[%d] = %+v, want label %q", i, d, tt.labels[i])
				}
			}
		})
	}
}
