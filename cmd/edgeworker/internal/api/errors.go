package api

import (
	"errors"
	"fmt"
)

// Error is a request failure with the HTTP status it maps to. It is written as an
// OpenAI-style body: {"error":{"message":...,"type":...,"code":...}}.
type Error struct {
	Status  int
	Code    string
	Message string
	// RetryAfter, in seconds, is sent as a Retry-After header when positive.
	RetryAfter int
}

// ErrModelLoading is what a Handler's Model func returns while another request is
// still streaming the weights in. Waiting for that load instead would leave the request
// with no I/O of its own, and workerd cancels such a request as hung; a 503 with
// Retry-After lets the client come back once the model is there.
var ErrModelLoading = errors.New("the model is loading; retry shortly")

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func (e *Error) errorType() string {
	switch {
	case e.Status == statusUnauthorized:
		return "authentication_error"
	case e.Status >= 500:
		return "server_error"
	}
	return "invalid_request_error"
}

func badRequest(code, format string, args ...any) *Error {
	return &Error{Status: statusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}
