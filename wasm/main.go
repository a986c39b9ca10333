//go:build js && wasm

// Command wasm is the WebAssembly build of the wasmbert engine: a thin
// syscall/js bridge over model/engine, built by ./build.sh wasm into
// dist/engine/wasmbert.wasm and driven by js/engine.js.
//
// Handshake: JS starts the program with the environment variable
// WASMBERT_READY=name, where the global property name holds a callback. main
// calls it once with an object of functions (loadBegin, loadChunk, loadEnd,
// loadAbort, embed, tokenize, info, exit) and then serves calls until exit() is called. Passing the name
// rather than fixing it lets several instances share one global scope (one per
// Web Worker, or several in one thread). It comes in the environment, not in
// argv: os.Args would link package os, about 80 kB of the binary.
//
// Every function except exit returns a Promise. Work runs in a goroutine, so
// a JS callback never blocks on Go I/O; errors reject with a JS Error
// carrying the Go message.
package main

import (
	"syscall"
	"syscall/js"
)

func main() {
	name, ok := syscall.Getenv("WASMBERT_READY")
	if !ok {
		println("wasmbert: start with the environment variable WASMBERT_READY=<ready callback name>")
		syscall.Exit(2)
	}
	ready := js.Global().Get(name)
	if ready.Type() != js.TypeFunction {
		println("wasmbert: globalThis." + name + " is not a function")
		syscall.Exit(2)
	}
	b := &bridge{}
	quit := make(chan struct{})
	api, funcs := b.exports(quit)
	ready.Invoke(api)
	<-quit
	for _, f := range funcs {
		f.Release()
	}
}
