//go:build js && wasm && !parallel

package main

import "syscall/js"

// exportSplit adds nothing: the default engine leaves out embedPart (see
// split.go), whose ~19 kB the engine's size budget has no room for; build
// with -tags parallel for dist/engine/wasmbert-parallel.wasm.
func (b *bridge) exportSplit(func(string, func([]js.Value) js.Value)) {}
