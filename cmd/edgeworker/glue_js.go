//go:build js && wasm

package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"syscall/js"
)

// handleRequest adapts h to the Workers runtime: called with a JS Request, it returns a
// Promise of a JS Response. This is the part of github.com/syumai/workers the worker used;
// that library also links net/http's client, TLS and x509 (its fetch and R2 packages), about
// half of app.wasm, which a worker that only reads its bindings does not need.
//
// Responses are buffered and handed over as one Uint8Array: they are small JSON documents.
func handleRequest(h http.Handler) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		req := arg0(args)
		executor := js.FuncOf(func(_ js.Value, pa []js.Value) any {
			resolve, reject := pa[0], pa[1]
			go func() {
				res, err := serve(h, req)
				if err != nil {
					reject.Invoke(js.Global().Get("Error").New(err.Error()))
					return
				}
				resolve.Invoke(res)
			}()
			return nil
		})
		defer executor.Release()
		return js.Global().Get("Promise").New(executor)
	})
}

func serve(h http.Handler, jsReq js.Value) (js.Value, error) {
	r, err := toRequest(jsReq)
	if err != nil {
		return js.Value{}, err
	}
	defer r.Body.Close()
	w := &bufferWriter{header: http.Header{}, status: http.StatusOK}
	func() {
		// A panic would end the Go program and strand every pending request of the isolate.
		defer func() {
			if p := recover(); p != nil {
				w.reset(http.StatusInternalServerError)
				fmt.Fprintf(&w.body, `{"error":{"message":%q,"type":"server_error","code":"panic"}}`, fmt.Sprint(p))
			}
		}()
		h.ServeHTTP(w, r)
	}()
	headers := js.Global().Get("Headers").New()
	for k, vs := range w.header {
		for _, v := range vs {
			headers.Call("append", k, v)
		}
	}
	init := js.Global().Get("Object").New()
	init.Set("status", w.status)
	init.Set("headers", headers)
	body := js.Null() // a 204 or 304 must have no body
	if w.status != http.StatusNoContent && w.status != http.StatusNotModified {
		body = js.Global().Get("Uint8Array").New(w.body.Len())
		js.CopyBytesToJS(body, w.body.Bytes())
	}
	return js.Global().Get("Response").New(body, init), nil
}

func toRequest(req js.Value) (*http.Request, error) {
	u, err := url.Parse(req.Get("url").String())
	if err != nil {
		return nil, fmt.Errorf("request URL: %w", err)
	}
	header := http.Header{}
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		header.Add(args[1].String(), args[0].String()) // forEach passes (value, name)
		return nil
	})
	req.Get("headers").Call("forEach", each)
	each.Release()
	r := &http.Request{Method: req.Get("method").String(), URL: u, Header: header, Body: http.NoBody,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Host: u.Host, RequestURI: u.RequestURI()}
	if n, err := strconv.ParseInt(header.Get("Content-Length"), 10, 64); err == nil {
		r.ContentLength = n
	}
	if b := req.Get("body"); b.Truthy() {
		r.Body = newStreamReader(b)
	}
	return r, nil
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
