package api

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Model is a loaded embedding model as the API needs it.
type Model interface {
	Name() string
	Dims() int
	// Tokens returns the length in tokens of each text, whole: a text longer than the model's
	// maximum length is embedded as windows, not cut.
	Tokens(texts []string) ([]int, error)
	// Embed returns one vector per text and the number of tokens the encoder saw: a text
	// longer than the model's maximum length is the average of overlapping windows.
	Embed(texts []string) (vectors [][]float32, tokens int, err error)
}

// Handler serves POST /v1/embeddings, POST /v1/similarity, POST /v1/classify (a model with a
// head) and GET /healthz.
type Handler struct {
	Limits  Limits
	Token   string   // bearer token required on /v1/*; empty disables auth
	Origins []string // origins allowed by CORS; "*" allows any, empty sends no CORS headers
	// Model returns the model, loading it on first use; an error is reported as 503 so a
	// client can retry once the weights are reachable.
	Model func() (Model, error)
	// Health returns the JSON body of GET /healthz. It must not load the model.
	Health func() any
}

// Serve answers one request. It never fails: errors become JSON error responses.
func (h *Handler) Serve(r *Request) *Response {
	w := &Response{Status: statusOK, Header: Header{}}
	h.setCORS(w, r)
	var err error
	switch r.Path {
	case "/healthz":
		err = h.route(w, r, "GET", false, h.serveHealth)
	case "/v1/embeddings":
		err = h.route(w, r, "POST", true, h.serveEmbeddings)
	case "/v1/similarity":
		err = h.route(w, r, "POST", true, h.serveSimilarity)
	case "/v1/classify":
		err = h.route(w, r, "POST", true, h.serveClassify)
	default:
		err = &Error{Status: statusNotFound, Code: "not_found", Message: fmt.Sprintf("no route %s", r.Path)}
	}
	if err != nil {
		writeError(w, err)
	}
	return w
}

func (h *Handler) route(w *Response, r *Request, method string, auth bool, serve func(*Response, *Request) error) error {
	if r.Method == "OPTIONS" && r.Header.Get("Origin") != "" {
		w.Header.Set("Access-Control-Allow-Methods", method+", OPTIONS")
		w.Status = statusNoContent
		return nil
	}
	if r.Method != method {
		w.Header.Set("Allow", method+", OPTIONS")
		return &Error{Status: statusMethodNotAllowed, Code: "method_not_allowed",
			Message: fmt.Sprintf("%s %s: use %s", r.Method, r.Path, method)}
	}
	if auth && !h.authorized(r) {
		w.Header.Set("WWW-Authenticate", `Bearer realm="wasmbert"`)
		return &Error{Status: statusUnauthorized, Code: "invalid_api_key", Message: "missing or wrong bearer token"}
	}
	return serve(w, r)
}

func (h *Handler) authorized(r *Request) bool {
	if h.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(h.Token)) == 1
}

func (h *Handler) setCORS(w *Response, r *Request) {
	origin := r.Header.Get("Origin")
	if origin == "" || len(h.Origins) == 0 {
		return
	}
	hdr := w.Header
	hdr.Set("Vary", "Origin")
	switch {
	case slices.Contains(h.Origins, "*"):
		hdr.Set("Access-Control-Allow-Origin", "*")
	case slices.Contains(h.Origins, origin):
		hdr.Set("Access-Control-Allow-Origin", origin)
	default:
		return
	}
	hdr.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	hdr.Set("Access-Control-Max-Age", "86400")
}

func (h *Handler) serveHealth(w *Response, _ *Request) error {
	var body any = map[string]string{"status": "ok"}
	if h.Health != nil {
		body = h.Health()
	}
	return writeJSON(w, statusOK, body)
}

// readBody reads at most the body limit. An oversized body is drained (up to a bound) before
// the 413 goes out: workerd resets the connection of a response sent over an unread body, and
// the client would see the reset instead of the error.
func (h *Handler) readBody(r *Request) ([]byte, error) {
	limit := h.Limits.withDefaults().MaxBodyBytes
	tooLarge := &Error{Status: statusRequestEntityTooLarge, Code: "body_too_large",
		Message: fmt.Sprintf("request body is larger than %d bytes", limit)}
	if r.ContentLength > 4*limit {
		return nil, tooLarge
	}
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, badRequest("unreadable_body", "read request body: %v", err)
	}
	if int64(len(body)) > limit {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 3*limit))
		return nil, tooLarge
	}
	return body, nil
}

func (h *Handler) model(requested string) (Model, error) {
	m, err := h.Model()
	if errors.Is(err, ErrModelLoading) {
		return nil, &Error{Status: statusServiceUnavailable, Code: "model_loading", Message: err.Error(), RetryAfter: 1}
	}
	if err != nil {
		return nil, &Error{Status: statusServiceUnavailable, Code: "model_unavailable", Message: err.Error()}
	}
	if requested != "" && requested != m.Name() && !strings.HasSuffix(requested, "/"+m.Name()) {
		return nil, &Error{Status: statusNotFound, Code: "model_not_found",
			Message: fmt.Sprintf("model %q is not served here; this worker serves %q", requested, m.Name())}
	}
	return m, nil
}

func embed(m Model, texts []string) ([][]float32, int, error) {
	vecs, tokens, err := m.Embed(texts)
	if err != nil {
		return nil, 0, &Error{Status: statusInternalServerError, Code: "embed_failed", Message: err.Error()}
	}
	if len(vecs) != len(texts) {
		return nil, 0, &Error{Status: statusInternalServerError, Code: "embed_failed",
			Message: fmt.Sprintf("model returned %d vectors for %d texts", len(vecs), len(texts))}
	}
	return vecs, tokens, nil
}

func writeJSON(w *Response, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header.Set("Content-Type", "application/json")
	w.Status, w.Body = status, b
	return nil
}

func writeError(w *Response, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: statusInternalServerError, Code: "internal_error", Message: err.Error()}
	}
	body := map[string]any{"error": map[string]any{"message": e.Message, "type": e.errorType(), "code": e.Code}}
	if e.RetryAfter > 0 {
		w.Header.Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	_ = writeJSON(w, e.Status, body) // a map of strings always encodes
}
