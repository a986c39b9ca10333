// Package api is the HTTP API of the edge worker: OpenAI-compatible embeddings, similarity and
// health, with request limits, bearer auth and CORS. It is plain Go (no syscall/js) so that every
// request path is tested natively; cmd/edgeworker only adds the Workers glue.
package api

import (
	"fmt"
)

// Limits bound what one request may ask for. Zero fields take the defaults.
type Limits struct {
	MaxBodyBytes  int64 // request body size
	MaxInputs     int   // texts per request (each side of a similarity request)
	MaxInputChars int   // characters (runes) per text
	// MaxRequestTokens is the work budget of one request: the tokens the encoder would see,
	// summed over every text (both sides of a similarity request). The isolate runs one
	// encoder at a time, so this bounds how long one request can hold it.
	MaxRequestTokens int
}

// DefaultLimits are the limits used when the worker's vars do not set them. 8192 tokens is
// 32 texts of 256 tokens (MiniLM's maximum), or 256 texts of 32.
var DefaultLimits = Limits{MaxBodyBytes: 1 << 20, MaxInputs: 256, MaxInputChars: 8192, MaxRequestTokens: 8192}

func (l Limits) withDefaults() Limits {
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = DefaultLimits.MaxBodyBytes
	}
	if l.MaxInputs <= 0 {
		l.MaxInputs = DefaultLimits.MaxInputs
	}
	if l.MaxInputChars <= 0 {
		l.MaxInputChars = DefaultLimits.MaxInputChars
	}
	if l.MaxRequestTokens <= 0 {
		l.MaxRequestTokens = DefaultLimits.MaxRequestTokens
	}
	return l
}

// checkWork refuses, with a 413 naming the budget, texts whose tokens exceed MaxRequestTokens.
// Counting tokenizes every text once more than embedding does, which costs a small fraction of
// an encoder pass.
func (h *Handler) checkWork(m Model, texts []string) error {
	counts, err := m.Tokens(texts)
	if err != nil {
		return &Error{Status: statusInternalServerError, Code: "tokenize_failed", Message: err.Error()}
	}
	work := 0
	for _, n := range counts {
		work += n
	}
	if budget := h.Limits.withDefaults().MaxRequestTokens; work > budget {
		return &Error{Status: statusRequestEntityTooLarge, Code: "request_too_large",
			Message: fmt.Sprintf("request is %d tokens of work over %d texts, more than the budget of %d tokens per request (MAX_REQUEST_TOKENS); split it into smaller requests", work, len(texts), budget)}
	}
	return nil
}
