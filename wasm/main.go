//go:build js && wasm

// Command wasm is the WebAssembly build of the wasmbert engine: a thin
// syscall/js bridge over model/engine, built by ./build.sh wasm into
// dist/engine/wasmbert.wasm and driven by js/engine.js.
//
// Handshake: JS sets globalThis.__wasmbertStarting to a name, where the
// global property name holds a callback, and starts the program. main reads
// the name first, while Go's run() has not yet returned to JS (so the next
// instance cannot have changed it), and calls the callback once with an
// object of functions (loadBegin, loadChunk, loadEnd, loadAbort, embed,
// tokenize, info, exit); then it serves calls until exit() is called. Passing
// the name rather than fixing it lets several instances share one global
// scope (one per Web Worker, or several in one thread). It comes in a global,
// not in argv or the environment: os.Args would link package os, about 80 kB
// of the binary, and syscall.Getenv package syscall, 21 kB.
//
// Every function except exit returns a Promise. Work runs in a goroutine, so
// a JS callback never blocks on Go I/O; errors reject with a JS Error
// carrying the Go message.
package main

import "syscall/js"

func main() {
	// A panic, not syscall.Exit, ends a misstarted program: it exits with
	// status 2 as well, without linking package syscall.
	start := js.Global().Get("__wasmbertStarting")
	if start.Type() != js.TypeString {
		panic("wasmbert: start with globalThis.__wasmbertStarting = <ready callback name>")
	}
	name := start.String()
	ready := js.Global().Get(name)
	if ready.Type() != js.TypeFunction {
		panic("wasmbert: globalThis." + name + " is not a function")
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
