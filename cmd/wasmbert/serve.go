package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runServe serves a static folder (the demo site by default) the way the
// engine needs it: application/wasm for .wasm so streaming compilation works,
// Range requests so interrupted model downloads resume, revalidation for code
// and long caching for model files, and COOP/COEP on request for pages that
// want cross-origin isolation.
func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("dir", "dist/site", "folder to serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	isolate := fs.Bool("isolate", false, "send Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: wasmbert serve [--dir DIR] [--addr HOST:PORT] [--isolate]

Serves a folder (the demo site by default) over HTTP the way the engine needs it:
application/wasm for .wasm, Range requests for model files, revalidation for code,
a day's caching for .wbm files. Runs until interrupted (Ctrl-C).`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		return fmt.Errorf("serve: %s is not a folder (run ./build.sh site first)", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w (choose another address with --addr HOST:PORT)", err)
	}
	srv := &http.Server{
		Handler:           staticHandler(*dir, *isolate),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(stdout, "serving %s at http://%s/\n", *dir, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return fmt.Errorf("serve: shutdown: %w", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	}
}

// contentTypes are set explicitly: the host's MIME tables may not know them,
// and a wrong type for .wasm disables WebAssembly.instantiateStreaming.
var contentTypes = map[string]string{
	".wasm":        "application/wasm",
	".wbm":         "application/octet-stream",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
}

func staticHandler(dir string, isolate bool) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isolate {
			w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
			w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
			w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		ext := strings.ToLower(filepath.Ext(r.URL.Path))
		if ct, ok := contentTypes[ext]; ok {
			w.Header().Set("Content-Type", ct)
		} else if ct := mime.TypeByExtension(ext); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		if ext == ".wbm" {
			// The library keeps the one verified copy of a model in its own
			// Cache API store; a second copy in the HTTP cache would outlive
			// the page's "remove cached models" and still load offline.
			w.Header().Set("Cache-Control", "no-store")
		} else {
			// Code and pages revalidate, so a rebuilt site is picked up at once.
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
