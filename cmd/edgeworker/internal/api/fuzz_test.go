package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// recordingModel is countingModel that keeps the texts it was asked to embed.
type recordingModel struct {
	countingModel
	got [][]string
}

func (m *recordingModel) Embed(texts []string) ([][]float32, int, error) {
	m.got = append(m.got, texts)
	return m.countingModel.Embed(texts)
}

// FuzzHandler sends arbitrary bodies to both POST routes through the whole handler: no body
// may panic or produce a 5xx, every error is a JSON error object, and whatever reaches the
// model satisfies the limits (body size included, which ParseEmbeddingsRequest cannot see).
// go test -run '^$' -fuzz '^FuzzHandler$' -fuzztime 1m -parallel 1 ./cmd/edgeworker/internal/api/
func FuzzHandler(f *testing.F) {
	for _, s := range []string{`{"input":"hi"}`, `{"input":["a","b"],"dimensions":2,"encoding_format":"base64"}`,
		`{"a":"x","b":["y","z"]}`, `{"a":["é"],"b":"\ud83d\ude00"}`, `{"input":["` + strings.Repeat("é", 20) + `"]}`,
		`{"input":"a","pad":"` + strings.Repeat(" ", 200) + `"}`, `{"input":"a","model":"org/test-model"}`, ` {"input":[null]}`} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, similarity bool) {
		m := &recordingModel{}
		h := newTestHandler()
		h.Model = func() (Model, error) { return m, nil }
		lim := h.Limits.withDefaults()
		path := "/v1/embeddings"
		if similarity {
			path = "/v1/similarity"
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+h.Token)
		rec := serveHTTP(h, req)

		switch rec.Code {
		case http.StatusOK:
			if int64(len(body)) > lim.MaxBodyBytes {
				t.Fatalf("accepted a %d-byte body, limit %d", len(body), lim.MaxBodyBytes)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("200 with a body that is not JSON: %q", rec.Body)
			}
		case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge:
			var e struct {
				Error struct{ Message, Code string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("status %d with error body %q", rec.Code, rec.Body)
			}
			if len(m.got) != 0 {
				t.Fatalf("status %d, yet the model embedded %q", rec.Code, m.got)
			}
			// 413 is a body over the byte limit, or a text over the character limit
			// (input_too_long), never anything else.
			if rec.Code == http.StatusRequestEntityTooLarge && int64(len(body)) <= lim.MaxBodyBytes && e.Error.Code != "input_too_long" {
				t.Fatalf("413 (%s) for a %d-byte body, limit %d", e.Error.Code, len(body), lim.MaxBodyBytes)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		for _, texts := range m.got {
			if len(texts) == 0 || len(texts) > lim.MaxInputs {
				t.Fatalf("model got %d texts, limit %d", len(texts), lim.MaxInputs)
			}
			for _, s := range texts {
				if s == "" || utf8.RuneCountInString(s) > lim.MaxInputChars {
					t.Fatalf("model got text %q, limit %d characters", s, lim.MaxInputChars)
				}
			}
		}
	})
}
