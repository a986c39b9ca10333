// Command heads is the second, lazily loaded WebAssembly module of wasmbert:
// it trains and applies the downstream heads of model/heads (classifier,
// BIO tagger), answers FAQ queries (model/faq) and fits PCA projections
// (model/similarity) on feature vectors the engine computed. It is kept out
// of the engine module (dist/engine/wasmbert.wasm) because spago, which
// trains the heads, would more than double that module's size; js/heads.js
// loads it on the first heads call.
//
// Every operation takes a JSON request and one flat float32 buffer holding
// the request's vectors row after row, and returns a JSON result (see
// ops.go). Under GOOS=js it serves them to JavaScript (main_js.go); built
// natively it runs one request from stdin (main_native.go), which the JS
// tests use to check that a head trained in WebAssembly equals the one
// trained natively.
//
// Build: GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -trimpath -ldflags="-s -w" -o dist/engine/wasmbert-heads.wasm ./wasm/heads
package main
