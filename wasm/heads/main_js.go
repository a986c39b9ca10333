//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"syscall/js"
	"unsafe"
)

// Handshake, as the engine module's (wasm/main.go): JS starts the program
// with argv ["wasmbert-heads", name], where globalThis[name] is a callback;
// main calls it once with {call, exit} and serves calls until exit().
//
// call(op, request, data, progress) takes the operation's name, its request
// as a JSON string, its vectors as one Float32Array (or undefined) and an
// optional progress(done, total) function that training calls after each
// epoch; it returns a Promise of the result as a JSON string; errors reject
// with a JS Error. A progress function that throws ends the call with that
// error: that is how a caller in the same thread cancels a training.
func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "wasmbert-heads: start with argv [\"wasmbert-heads\", <ready callback name>]")
		os.Exit(2)
	}
	ready := js.Global().Get(os.Args[1])
	if ready.Type() != js.TypeFunction {
		fmt.Fprintf(os.Stderr, "wasmbert-heads: globalThis.%s is not a function\n", os.Args[1])
		os.Exit(2)
	}
	quit := make(chan struct{})
	call := js.FuncOf(func(_ js.Value, args []js.Value) any { return serve(args) })
	exit := js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case <-quit:
		default:
			close(quit)
		}
		return js.Undefined()
	})
	api := js.Global().Get("Object").New()
	api.Set("call", call)
	api.Set("exit", exit)
	ready.Invoke(api)
	<-quit
	call.Release()
	exit.Release()
}

func serve(args []js.Value) js.Value {
	promise := js.Global().Get("Promise")
	if len(args) < 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
		return promise.Call("reject", js.Global().Get("Error").New("wasmbert-heads: call(op, requestJSON, data)"))
	}
	name, req := args[0].String(), args[1].String()
	var data []float32
	if len(args) > 2 && args[2].InstanceOf(js.Global().Get("Float32Array")) {
		data = make([]float32, args[2].Length())
		if len(data) > 0 {
			js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&data[0])), 4*len(data)),
				js.Global().Get("Uint8Array").New(args[2].Get("buffer"), args[2].Get("byteOffset"), args[2].Get("byteLength")))
		}
	}
	var progress func(done, total int)
	if len(args) > 3 && args[3].Type() == js.TypeFunction {
		fn := args[3]
		progress = func(done, total int) { fn.Invoke(done, total) }
	}
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, p []js.Value) any {
		resolve, reject := p[0], p[1]
		go func() {
			out, err := protect(name, req, data, progress)
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(out)
		}()
		return nil
	})
	defer executor.Release() // it runs synchronously inside new Promise
	return promise.New(executor)
}

// protect runs the operation and encodes its result; a panic becomes an
// error so that one bad call does not end the program for every later one.
func protect(name, req string, data []float32, progress func(done, total int)) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("wasmbert-heads: internal error: %v\n%s", r, debug.Stack())
		}
	}()
	if !json.Valid([]byte(req)) {
		return "", errors.New("wasmbert-heads: request is not valid JSON")
	}
	v, err := run(name, json.RawMessage(req), data, progress)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("wasmbert: %s: encode result: %w", name, err)
	}
	return string(b), nil
}
