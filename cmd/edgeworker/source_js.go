//go:build js && wasm

package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/syumai/workers/cloudflare/r2"
)

// getenv reads a text var or secret of the worker (globalThis.context.env, set by the shim).
func getenv(name string) string {
	v := js.Global().Get("context").Get("env").Get(name)
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

func binding(name string) js.Value {
	return js.Global().Get("context").Get("env").Get(name)
}

// openWeights opens every part of the model file named in the config. The keys come from the
// worker's vars, never from a request.
func openWeights(c config) ([]weightPart, error) {
	parts := make([]weightPart, 0, len(c.keys))
	if c.bucket != "" {
		bucket, err := r2.NewBucket(c.bucket)
		if err != nil {
			return nil, fmt.Errorf("R2 binding %s is not defined", c.bucket)
		}
		for _, key := range c.keys {
			obj, err := bucket.Get(key)
			if err != nil {
				closeAll(parts)
				return nil, fmt.Errorf("R2 %s/%s: %w", c.bucket, key, err)
			}
			if obj == nil || obj.Body == nil {
				closeAll(parts)
				return nil, fmt.Errorf("R2 %s/%s: no such object", c.bucket, key)
			}
			parts = append(parts, weightPart{name: "r2:" + key, size: int64(obj.Size), body: obj.Body})
		}
		return parts, nil
	}
	fetcher := binding(c.fetcher)
	if fetcher.Type() != js.TypeObject {
		return nil, fmt.Errorf("fetcher binding %s is not defined", c.fetcher)
	}
	for _, key := range c.keys {
		// The host is ignored by asset and service bindings; only the path selects the file.
		resp, err := await(fetcher.Call("fetch", "http://weights.internal/"+strings.TrimLeft(key, "/")))
		if err != nil {
			closeAll(parts)
			return nil, fmt.Errorf("fetch %s from %s: %w", key, c.fetcher, err)
		}
		if status := resp.Get("status").Int(); status != 200 {
			if b := resp.Get("body"); b.Truthy() {
				b.Call("cancel")
			}
			closeAll(parts)
			return nil, fmt.Errorf("fetch %s from %s: %d %s", key, c.fetcher, status, resp.Get("statusText").String())
		}
		size := int64(-1) // unknown without a Content-Length
		if cl := resp.Get("headers").Call("get", "content-length"); cl.Type() == js.TypeString {
			if n, err := strconv.ParseInt(cl.String(), 10, 64); err == nil {
				size = n
			}
		}
		body := resp.Get("body")
		if !body.Truthy() {
			closeAll(parts)
			return nil, fmt.Errorf("fetch %s from %s: no body", key, c.fetcher)
		}
		parts = append(parts, weightPart{name: c.fetcher + ":" + key, size: size, body: newStreamReader(body)})
	}
	return parts, nil
}
