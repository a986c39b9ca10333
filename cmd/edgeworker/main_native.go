//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The worker only runs inside a Workers runtime; natively this package exists for its tests.
func main() {
	fmt.Fprintln(os.Stderr, "edgeworker is a Cloudflare Worker: build it with GOOS=js GOARCH=wasm GOEXPERIMENT=simd and run it in workerd (see docs/edge-worker.md)")
	os.Exit(2)
}
