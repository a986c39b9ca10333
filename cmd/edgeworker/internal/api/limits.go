// Package api is the HTTP API of the edge worker: OpenAI-compatible embeddings, similarity and
// health, with request limits, bearer auth and CORS. It is plain Go (no syscall/js) so that every
// request path is tested natively; cmd/edgeworker only adds the Workers glue.
package api

// Limits bound what one request may ask for. Zero fields take the defaults.
type Limits struct {
	MaxBodyBytes  int64 // request body size
	MaxInputs     int   // texts per request (each side of a similarity request)
	MaxInputChars int   // characters (runes) per text
}

// DefaultLimits are the limits used when the worker's vars do not set them.
var DefaultLimits = Limits{MaxBodyBytes: 1 << 20, MaxInputs: 256, MaxInputChars: 8192}

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
	return l
}
