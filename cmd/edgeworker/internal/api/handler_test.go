package api

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// countingModel embeds a text as (len, vowels, 1) so results are predictable without weights.
type countingModel struct{}

func (countingModel) Name() string { return "test-model" }
func (countingModel) Dims() int    { return 3 }
func (countingModel) Tokens(texts []string) ([]int, error) {
	out := make([]int, len(texts))
	for i, t := range texts {
		out[i] = len(strings.Fields(t)) + 2
	}
	return out, nil
}
func (m countingModel) Embed(texts []string) ([][]float32, int, error) {
	out := make([][]float32, len(texts))
	counts, _ := m.Tokens(texts)
	tokens := 0
	for i, t := range texts {
		out[i] = []float32{float32(len(t)), float32(strings.Count(t, "a")), 1}
		tokens += counts[i]
	}
	return out, tokens, nil
}

// serveHTTP runs h on a net/http request, as the worker's glue does on a JS one, so the tests
// can build requests and read responses with net/http/httptest.
func serveHTTP(h *Handler, req *http.Request) *httptest.ResponseRecorder {
	header := Header{}
	for k := range req.Header {
		header.Set(k, req.Header.Get(k))
	}
	res := h.Serve(&Request{Method: req.Method, Path: req.URL.Path, Header: header, ContentLength: req.ContentLength, Body: req.Body})
	rec := httptest.NewRecorder()
	for k, v := range res.Header {
		rec.Header().Set(k, v)
	}
	rec.WriteHeader(res.Status)
	rec.Write(res.Body)
	return rec
}

func newTestHandler() *Handler {
	return &Handler{
		Limits:  Limits{MaxBodyBytes: 200, MaxInputs: 4, MaxInputChars: 20},
		Token:   "s3cret",
		Origins: []string{"https://ok.example"},
		Model:   func() (Model, error) { return countingModel{}, nil },
		Health:  func() any { return map[string]int{"loads": 1} },
	}
}

func TestHandlerStatus(t *testing.T) {
	auth := map[string]string{"Authorization": "Bearer s3cret"}
	tests := []struct {
		name    string
		method  string
		path    string
		body    string
		headers map[string]string
		status  int
		code    string
	}{
		{"health", "GET", "/healthz", "", nil, 200, ""},
		{"health wrong method", "POST", "/healthz", "", nil, 405, "method_not_allowed"},
		{"embeddings", "POST", "/v1/embeddings", `{"input":"a b"}`, auth, 200, ""},
		{"embeddings GET", "GET", "/v1/embeddings", "", auth, 405, "method_not_allowed"},
		{"no token", "POST", "/v1/embeddings", `{"input":"a"}`, nil, 401, "invalid_api_key"},
		{"wrong token", "POST", "/v1/embeddings", `{"input":"a"}`, map[string]string{"Authorization": "Bearer nope"}, 401, "invalid_api_key"},
		{"malformed", "POST", "/v1/embeddings", `{"input":`, auth, 400, "invalid_json"},
		{"too long", "POST", "/v1/embeddings", `{"input":"` + strings.Repeat("x", 21) + `"}`, auth, 413, "input_too_long"},
		{"too many", "POST", "/v1/embeddings", `{"input":["a","a","a","a","a"]}`, auth, 400, "too_many_inputs"},
		{"body too large", "POST", "/v1/embeddings", `{"input":"a","pad":"` + strings.Repeat(" ", 200) + `"}`, auth, 413, "body_too_large"},
		{"dimensions too big", "POST", "/v1/embeddings", `{"input":"a","dimensions":4}`, auth, 400, "invalid_dimensions"},
		{"other model", "POST", "/v1/embeddings", `{"input":"a","model":"gpt"}`, auth, 404, "model_not_found"},
		{"namespaced model", "POST", "/v1/embeddings", `{"input":"a","model":"org/test-model"}`, auth, 200, ""},
		{"similarity", "POST", "/v1/similarity", `{"a":"a","b":"b"}`, auth, 200, ""},
		{"similarity bad", "POST", "/v1/similarity", `{"a":"a"}`, auth, 400, "missing_b"},
		{"unknown path", "GET", "/nope", "", nil, 404, "not_found"},
		{"preflight", "OPTIONS", "/v1/embeddings", "", map[string]string{"Origin": "https://ok.example"}, 204, ""},
	}
	h := newTestHandler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := serveHTTP(h, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code == "" {
				return
			}
			var e struct {
				Error struct{ Message, Type, Code string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("error body %q is not JSON: %v", rec.Body, err)
			}
			if e.Error.Code != tt.code || e.Error.Message == "" {
				t.Fatalf("error body %s, want code %s", rec.Body, tt.code)
			}
		})
	}
}

func post(t *testing.T, h *Handler, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer s3cret")
	rec := serveHTTP(h, req)
	if rec.Code != 200 {
		t.Fatalf("POST %s %s: %d %s", path, body, rec.Code, rec.Body)
	}
	return rec
}

func TestEmbeddingsResponse(t *testing.T) {
	h := newTestHandler()
	var got struct {
		Object string
		Model  string
		Data   []struct {
			Object    string
			Index     int
			Embedding json.RawMessage
		}
		Usage struct {
			PromptTokens int `json:"prompt_tokens"`
			TotalTokens  int `json:"total_tokens"`
		}
	}
	rec := post(t, h, "/v1/embeddings", `{"input":["aa b","c"]}`)
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Object != "list" || got.Model != "test-model" || len(got.Data) != 2 || got.Usage.PromptTokens != 7 || got.Usage.TotalTokens != 7 {
		t.Fatalf("unexpected response %s", rec.Body)
	}
	var v []float32
	if err := json.Unmarshal(got.Data[0].Embedding, &v); err != nil || got.Data[1].Index != 1 || got.Data[0].Object != "embedding" {
		t.Fatalf("data %s: %v", rec.Body, err)
	}
	if want := []float32{4, 2, 1}; v[0] != want[0] || v[1] != want[1] || v[2] != want[2] {
		t.Fatalf("vector %v, want %v", v, want)
	}

	rec = post(t, h, "/v1/embeddings", `{"input":"aa b","encoding_format":"base64","dimensions":2}`)
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var s string
	if err := json.Unmarshal(got.Data[0].Embedding, &s); err != nil {
		t.Fatalf("base64 embedding %s: %v", got.Data[0].Embedding, err)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) != 8 {
		t.Fatalf("base64 %q: %d bytes, %v", s, len(raw), err)
	}
	x := math.Float32frombits(binary.LittleEndian.Uint32(raw))
	y := math.Float32frombits(binary.LittleEndian.Uint32(raw[4:]))
	if d := math.Abs(float64(x) - 4/math.Sqrt(20)); d > 1e-6 || math.Abs(float64(y)-2/math.Sqrt(20)) > 1e-6 {
		t.Fatalf("shortened vector (%v, %v), want (4, 2)/sqrt(20)", x, y)
	}
}

func TestSimilarityResponse(t *testing.T) {
	var got struct {
		Scores     [][]float32
		Similarity *float32
	}
	rec := post(t, newTestHandler(), "/v1/similarity", `{"a":["a","aaaa"],"b":["a"]}`)
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Scores) != 2 || len(got.Scores[0]) != 1 || got.Similarity != nil {
		t.Fatalf("unexpected response %s", rec.Body)
	}
	if math.Abs(float64(got.Scores[0][0])-1) > 1e-6 || got.Scores[1][0] >= got.Scores[0][0] {
		t.Fatalf("scores %v", got.Scores)
	}
	rec = post(t, newTestHandler(), "/v1/similarity", `{"a":"a","b":"a"}`)
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Similarity == nil {
		t.Fatalf("single similarity missing in %s (%v)", rec.Body, err)
	}
}

func TestModelUnavailable(t *testing.T) {
	tests := []struct {
		err        error
		code       string
		retryAfter string
	}{
		{errors.New("fetch weights: 404"), "model_unavailable", ""},
		{ErrModelLoading, "model_loading", "1"},
	}
	for _, tt := range tests {
		h := newTestHandler()
		h.Model = func() (Model, error) { return nil, tt.err }
		req := httptest.NewRequest("POST", "/v1/embeddings", strings.NewReader(`{"input":"a"}`))
		req.Header.Set("Authorization", "Bearer s3cret")
		rec := serveHTTP(h, req)
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), tt.err.Error()) ||
			!strings.Contains(rec.Body.String(), `"code":"`+tt.code+`"`) {
			t.Errorf("%v: got %d %s", tt.err, rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
			t.Errorf("%v: Retry-After %q, want %q", tt.err, got, tt.retryAfter)
		}
	}
}

func TestCORS(t *testing.T) {
	tests := []struct {
		origins []string
		origin  string
		want    string
	}{
		{[]string{"https://ok.example"}, "https://ok.example", "https://ok.example"},
		{[]string{"https://ok.example"}, "https://evil.example", ""},
		{[]string{"*"}, "https://any.example", "*"},
		{nil, "https://ok.example", ""},
	}
	for _, tt := range tests {
		h := newTestHandler()
		h.Origins = tt.origins
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Header.Set("Origin", tt.origin)
		rec := serveHTTP(h, req)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tt.want {
			t.Errorf("origins %v, Origin %s: allow-origin %q, want %q", tt.origins, tt.origin, got, tt.want)
		}
	}
}

func TestWorkBudget(t *testing.T) {
	// countingModel counts words + 2 tokens per text: "a b c" is 5.
	tests := []struct {
		name, path, body string
		status           int
		message          string
	}{
		{"at the budget", "/v1/embeddings", `{"input":["a b c","a b c"]}`, 200, ""},
		{"over", "/v1/embeddings", `{"input":["a b c","a b c","a"]}`, 413,
			"request is 13 tokens of work over 3 texts, more than the budget of 10 tokens per request (MAX_REQUEST_TOKENS); split it into smaller requests"},
		{"similarity counts both sides", "/v1/similarity", `{"a":["a b c"],"b":["a b c","x"]}`, 413,
			"request is 13 tokens of work over 3 texts, more than the budget of 10 tokens per request (MAX_REQUEST_TOKENS); split it into smaller requests"},
		{"similarity within", "/v1/similarity", `{"a":"a b c","b":"a b c"}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &recordingModel{}
			h := newTestHandler()
			h.Limits.MaxRequestTokens = 10
			h.Model = func() (Model, error) { return m, nil }
			req := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer s3cret")
			rec := serveHTTP(h, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 200 {
				return
			}
			var e struct {
				Error struct{ Message, Code string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatal(err)
			}
			if e.Error.Code != "request_too_large" || e.Error.Message != tt.message {
				t.Errorf("error %+v, want request_too_large: %s", e.Error, tt.message)
			}
			if len(m.got) != 0 {
				t.Errorf("the model embedded %v for a refused request", m.got)
			}
		})
	}
}
