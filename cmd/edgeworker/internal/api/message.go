package api

import (
	"io"
	"strings"
)

// The API speaks plain request and response values rather than net/http's: the worker gets
// its requests from the Workers runtime, not from a Go server, and importing net/http adds
// about 0.6 MB (gzip) to app.wasm for its package initialization alone.

// Request is the part of an HTTP request the handler reads.
type Request struct {
	Method        string
	Path          string
	Header        Header
	ContentLength int64 // -1 when unknown
	Body          io.Reader
}

// Response is the handler's answer. Bodies are small JSON documents, so they are buffered.
type Response struct {
	Status int
	Header Header
	Body   []byte
}

// Header holds one value per field name, which is all the API reads or writes. Names are
// case-insensitive, as in HTTP.
type Header map[string]string

func (h Header) Get(name string) string { return h[strings.ToLower(name)] }
func (h Header) Set(name, value string) { h[strings.ToLower(name)] = value }
func (h Header) Del(name string)        { delete(h, strings.ToLower(name)) }
func (h Header) Has(name string) bool   { _, ok := h[strings.ToLower(name)]; return ok }

// The HTTP statuses the API answers with.
const (
	statusOK                    = 200
	statusNoContent             = 204
	statusBadRequest            = 400
	statusUnauthorized          = 401
	statusNotFound              = 404
	statusMethodNotAllowed      = 405
	statusRequestEntityTooLarge = 413
	statusInternalServerError   = 500
	statusServiceUnavailable    = 503
)
