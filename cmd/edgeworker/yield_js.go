//go:build js && wasm

package main

import "syscall/js"

// yieldIsolate lets the requests queued behind this one run (see wasmbertYield in
// shim/worker.mjs) and returns when it is this request's turn again. It waits on a Promise,
// not a Go timer: Go would arm its timer with setTimeout in whichever request's context is
// current, and workerd cancels those with that request.
func yieldIsolate() {
	y := js.Global().Get("wasmbertYield")
	if y.Type() != js.TypeFunction {
		return
	}
	_, _ = await(y.Invoke()) // the shim's turn promise never rejects
}
