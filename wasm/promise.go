//go:build js && wasm

package main

import (
	"runtime"
	"syscall/js"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

var (
	jsPromise = js.Global().Get("Promise")
	jsError   = js.Global().Get("Error")
)

// async runs fn in a goroutine and returns a Promise of its result. The
// executor returns at once, so the calling JS never waits on Go.
func async(fn func() (any, error)) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			v, err := protect(fn)
			if err != nil {
				reject.Invoke(jsError.New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	defer executor.Release() // the executor runs synchronously inside New
	return jsPromise.New(executor)
}

// protect turns a panic in fn into an error, so that a bug hit by one call
// rejects that call instead of ending the Go program and every later call.
func protect(fn func() (any, error)) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			stack := make([]byte, 16<<10)
			stack = stack[:runtime.Stack(stack, false)]
			err = errfmt.Errorf("wasmbert: internal error: %v\n%s", r, string(stack))
		}
	}()
	return fn()
}

// rejected returns a Promise already rejected with err.
func rejected(err error) js.Value {
	return jsPromise.Call("reject", jsError.New(err.Error()))
}
