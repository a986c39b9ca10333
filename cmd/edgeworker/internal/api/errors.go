package api

import (
	"fmt"
	"net/http"
)

// Error is a request failure with the HTTP status it maps to. It is written as an
// OpenAI-style body: {"error":{"message":...,"type":...,"code":...}}.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func (e *Error) errorType() string {
	switch {
	case e.Status == http.StatusUnauthorized:
		return "authentication_error"
	case e.Status >= 500:
		return "server_error"
	}
	return "invalid_request_error"
}

func badRequest(code, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}
