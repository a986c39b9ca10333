package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestStaticHandler(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("engine.wasm", "\x00asm")
	write("model.wbm", "WASMBERT0123456789")
	write("index.js", "export {}")
	write("index.html", "<!doctype html>")

	srv := httptest.NewServer(staticHandler(dir, true))
	defer srv.Close()

	tests := []struct {
		path, rangeHdr, method string
		status                 int
		contentType, cache     string
		body                   string
	}{
		{path: "/engine.wasm", status: 200, contentType: "application/wasm", cache: "no-cache", body: "\x00asm"},
		{path: "/model.wbm", status: 200, contentType: "application/octet-stream", cache: "no-store", body: "WASMBERT0123456789"},
		{path: "/model.wbm", rangeHdr: "bytes=8-", status: 206, contentType: "application/octet-stream", cache: "no-store", body: "0123456789"},
		{path: "/index.js", status: 200, contentType: "text/javascript; charset=utf-8", cache: "no-cache", body: "export {}"},
		{path: "/missing.js", status: 404},
		{path: "/index.html", method: http.MethodPost, status: 405},
	}
	for _, tt := range tests {
		method := tt.method
		if method == "" {
			method = http.MethodGet
		}
		req, _ := http.NewRequest(method, srv.URL+tt.path, nil)
		if tt.rangeHdr != "" {
			req.Header.Set("Range", tt.rangeHdr)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", method, tt.path, resp.StatusCode, tt.status)
			continue
		}
		if resp.Header.Get("Cross-Origin-Embedder-Policy") != "require-corp" || resp.Header.Get("Cross-Origin-Opener-Policy") != "same-origin" {
			t.Errorf("%s: isolation headers missing", tt.path)
		}
		if tt.status >= 300 {
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != tt.contentType {
			t.Errorf("%s: Content-Type %q, want %q", tt.path, got, tt.contentType)
		}
		if got := resp.Header.Get("Cache-Control"); got != tt.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tt.path, got, tt.cache)
		}
		if string(body) != tt.body {
			t.Errorf("%s: body %q, want %q", tt.path, body, tt.body)
		}
	}
}
