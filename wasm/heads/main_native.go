//go:build !js

package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// nativeRequest is one operation read from stdin: the same request and
// vectors the WebAssembly build receives from JS.
type nativeRequest struct {
	Op      string          `json:"op"`
	Request json.RawMessage `json:"request"`
	Data    []float32       `json:"data"`
}

// The native build runs one request from stdin and prints its JSON result,
// so tests can compare WebAssembly heads with native ones on the same
// vectors. Build it with -tags purego,noasm so that spago uses the same
// pure Go kernels as under WebAssembly.
func main() {
	var req nativeRequest
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "wasmbert-heads: read request: %v\n", err)
		os.Exit(2)
	}
	v, err := run(req.Op, req.Request, req.Data, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(v); err != nil {
		fmt.Fprintf(os.Stderr, "wasmbert-heads: write result: %v\n", err)
		os.Exit(1)
	}
}
