//go:build js && wasm

package main

import (
	"bytes"
	"fmt"
	"net/http"
	"syscall/js"
)

// rawJSBodyWriter is implemented by the ResponseWriter of github.com/syumai/workers.
type rawJSBodyWriter interface{ WriteRawJSBody(body js.Value) }

// bufferedResponse buffers a handler's response and hands it to the Workers runtime as one
// Uint8Array. The library's streaming path closes its per-instance "done" channel when a
// response body ends, which panics on the second response of a Go instance that, here,
// serves every request of the isolate. Responses are small JSON documents, so nothing is
// lost by not streaming them.
func bufferedResponse(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := w.(rawJSBodyWriter)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		buf := &bufferWriter{header: w.Header(), status: http.StatusOK}
		func() {
			// A panic would end the Go program and strand every pending request of the isolate.
			defer func() {
				if p := recover(); p != nil {
					buf.reset(http.StatusInternalServerError)
					fmt.Fprintf(&buf.body, `{"error":{"message":%q,"type":"server_error","code":"panic"}}`, fmt.Sprint(p))
				}
			}()
			h.ServeHTTP(buf, r)
		}()
		w.WriteHeader(buf.status)
		if buf.status == http.StatusNoContent {
			return // the runtime builds a null-body Response for 204
		}
		arr := js.Global().Get("Uint8Array").New(buf.body.Len())
		js.CopyBytesToJS(arr, buf.body.Bytes())
		raw.WriteRawJSBody(arr)
	})
}

type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header         { return b.header }
func (b *bufferWriter) WriteHeader(status int)      { b.status = status }
func (b *bufferWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

func (b *bufferWriter) reset(status int) {
	for k := range b.header {
		delete(b.header, k)
	}
	b.header.Set("Content-Type", "application/json")
	b.status = status
	b.body.Reset()
}

// wasmMemoryBytes reads the size of this instance's linear memory, which the shim exposes as
// context.wasmMemory.
func wasmMemoryBytes() int64 {
	m := js.Global().Get("context").Get("wasmMemory")
	if m.IsUndefined() {
		return 0
	}
	return int64(m.Get("buffer").Get("byteLength").Int())
}
