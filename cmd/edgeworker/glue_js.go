//go:build js && wasm

package main

import (
	"fmt"
	"net/url"
	"strconv"
	"syscall/js"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
)

// handleRequest adapts h to the Workers runtime: called with a JS Request, it returns a
// Promise of a JS Response. github.com/syumai/workers' own handler does this through net/http,
// whose client, TLS and x509 were more than a third of app.wasm; the worker keeps that
// library's r2 package (source_js.go), which links none of it.
func handleRequest(h *api.Handler) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		req := arg0(args)
		executor := js.FuncOf(func(_ js.Value, pa []js.Value) any {
			resolve := pa[0]
			go func() { resolve.Invoke(serve(h, req)) }()
			return nil
		})
		defer executor.Release()
		return js.Global().Get("Promise").New(executor)
	})
}

func serve(h *api.Handler, jsReq js.Value) js.Value {
	r := toRequest(jsReq)
	if body, ok := r.Body.(*streamReader); ok {
		defer body.Close()
	}
	var res *api.Response
	func() {
		// A panic would end the Go program and strand every pending request of the isolate.
		defer func() {
			if p := recover(); p != nil {
				res = &api.Response{Status: 500, Header: api.Header{"content-type": "application/json"},
					Body: []byte(`{"error":{"message":` + strconv.Quote(fmt.Sprint(p)) + `,"type":"server_error","code":"panic"}}`)}
			}
		}()
		res = h.Serve(r)
	}()
	headers := js.Global().Get("Headers").New()
	for k, v := range res.Header {
		headers.Call("set", k, v)
	}
	init := js.Global().Get("Object").New()
	init.Set("status", res.Status)
	init.Set("headers", headers)
	body := js.Null() // a 204 must have no body
	if res.Status != 204 {
		body = js.Global().Get("Uint8Array").New(len(res.Body))
		js.CopyBytesToJS(body, res.Body)
	}
	return js.Global().Get("Response").New(body, init)
}

func toRequest(req js.Value) *api.Request {
	path := "/"
	if u, err := url.Parse(req.Get("url").String()); err == nil {
		path = u.Path // routes are matched on the path alone
	}
	header := api.Header{}
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		header.Set(args[1].String(), args[0].String()) // forEach passes (value, name)
		return nil
	})
	req.Get("headers").Call("forEach", each)
	each.Release()
	r := &api.Request{Method: req.Get("method").String(), Path: path, Header: header, ContentLength: -1}
	if n, err := strconv.ParseInt(header.Get("Content-Length"), 10, 64); err == nil {
		r.ContentLength = n
	}
	if b := req.Get("body"); b.Truthy() {
		r.Body = newStreamReader(b)
	}
	return r
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
