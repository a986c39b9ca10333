//go:build js && wasm

package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/fetch"
	"github.com/syumai/workers/cloudflare/r2"
)

// openWeights opens every part of the model file named in the config. The keys come from the
// worker's vars, never from a request.
func openWeights(c config) ([]weightPart, error) {
	parts := make([]weightPart, 0, len(c.keys))
	if c.bucket != "" {
		bucket, err := r2.NewBucket(c.bucket)
		if err != nil {
			return nil, fmt.Errorf("R2 binding %s: %w", c.bucket, err)
		}
		for _, key := range c.keys {
			obj, err := bucket.Get(key)
			if err != nil {
				return nil, fmt.Errorf("R2 %s/%s: %w", c.bucket, key, err)
			}
			if obj == nil || obj.Body == nil {
				return nil, fmt.Errorf("R2 %s/%s: no such object", c.bucket, key)
			}
			parts = append(parts, weightPart{name: "r2:" + key, size: int64(obj.Size), body: obj.Body})
		}
		return parts, nil
	}
	binding := cloudflare.GetBinding(c.fetcher)
	if binding.IsUndefined() {
		return nil, fmt.Errorf("fetcher binding %s is not defined", c.fetcher)
	}
	client := fetch.NewClient(fetch.WithBinding(binding)).HTTPClient(fetch.RedirectModeFollow)
	for _, key := range c.keys {
		// The host is ignored by asset and service bindings; only the path selects the file.
		url := "http://weights.internal/" + strings.TrimLeft(key, "/")
		resp, err := client.Get(url)
		if err != nil {
			return nil, fmt.Errorf("fetch %s from %s: %w", key, c.fetcher, err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("fetch %s from %s: %s", key, c.fetcher, resp.Status)
		}
		size := resp.ContentLength
		if size == 0 {
			size = -1 // the library reports a missing Content-Length as 0
		}
		parts = append(parts, weightPart{name: c.fetcher + ":" + key, size: size, body: resp.Body})
	}
	return parts, nil
}
