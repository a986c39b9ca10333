//go:build js && wasm

// Command wasm is the WebAssembly build of the wasmbert engine: a thin
// syscall/js bridge over model/engine, built by ./build.sh wasm into
// dist/engine/wasmbert.wasm and driven by js/engine.js.
//
// Handshake: JS starts the program with argv ["wasmbert", name], where the
// global property name holds a callback. main calls it once with an object
// of functions (loadBegin, loadChunk, loadEnd, loadAbort, embed, tokenize,
// info, exit) and then serves calls until exit() is called. Passing the name
// through argv rather than fixing it lets several instances share one global
// scope (one per Web Worker, or several in one thread).
//
// Every function except exit returns a Promise. Work runs in a goroutine, so
// a JS callback never blocks on Go I/O; errors reject with a JS Error
// carrying the Go message.
package main

import (
	"fmt"
	"os"
	"syscall/js"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "wasmbert: start with argv [\"wasmbert\", <ready callback name>]")
		os.Exit(2)
	}
	ready := js.Global().Get(os.Args[1])
	if ready.Type() != js.TypeFunction {
		fmt.Fprintf(os.Stderr, "wasmbert: globalThis.%s is not a function\n", os.Args[1])
		os.Exit(2)
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
