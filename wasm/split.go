//go:build js && wasm && parallel

package main

import (
	"errors"
	"runtime"
	"syscall/js"
	"unsafe"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/bert"
	"github.com/wasmbert/wasmbert/model/engine"
)

// embedPart(text, options, index, count, minTokens, exchange) is this
// instance's share of one text embedded by count workers
// (engine.EmbedPart). exchange(ptr, length, width, lo, hi) is
// js/parallel.js's all-gather over this instance's memory: the floats
// [ptr, ptr+4·length) hold rows of width floats, this part's rows [lo, hi)
// on entry and all of them when it returns "" (or why the call failed), or
// a Promise of that. It
// resolves to embed's result for the one text, or null when the text was
// left to part 0. Positional arguments and a JS-side copy keep this bridge
// small: the engine has a few kB of size budget left (docs/design.md).
func (b *bridge) embedPart(args []js.Value) js.Value {
	if b.eng == nil {
		return rejected(errNotLoaded)
	}
	if len(args) < 6 || args[0].Type() != js.TypeString || args[5].Type() != js.TypeFunction {
		return rejected(errors.New("wasmbert: embedPart takes text, options, index, count, minTokens, exchange"))
	}
	opts, err := embedOptions(args[1])
	if err != nil {
		return rejected(err)
	}
	text, eng, collect := args[0].String(), b.eng, b.collectDue()
	sp := engine.Split{
		Part:      bert.Part{Index: args[2].Int(), Count: args[3].Int()},
		MinTokens: args[4].Int(),
		Exchange:  jsExchange{args[5]},
	}
	return async(func() (any, error) {
		if collect {
			runtime.GC()
		}
		emb, err := eng.EmbedPart(text, opts, sp)
		if err != nil {
			return nil, errfmt.Errorf("wasmbert: embed: %w", err)
		}
		if emb == nil {
			return nil, nil
		}
		return embeddingsToJS([]engine.Embedding{*emb}, opts), nil
	})
}

// jsExchange is a bert.Exchange done by a JS function over this instance's
// memory (see embedPart). Go's heap does not move, and buf stays live
// while the function runs or while Go waits for the Promise it returned
// (the MessageChannel exchange, which needs the event loop to take the
// other parts' rows in).
type jsExchange struct{ fn js.Value }

func (x jsExchange) AllGather(buf []float32, width, lo, hi int) error {
	ptr := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	res := x.fn.Invoke(ptr, len(buf), width, lo, hi)
	if res.Type() != js.TypeString {
		res = await(res)
	}
	if msg := res.String(); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// await blocks this goroutine until the Promise p resolves (the exchange's
// never rejects) and returns its value; meanwhile Go yields to the event
// loop.
func await(p js.Value) js.Value {
	ch := make(chan js.Value, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- args[0]
		return nil
	})
	defer then.Release()
	p.Call("then", then)
	return <-ch
}

// exportSplit adds embedPart to the API object.
func (b *bridge) exportSplit(def func(string, func([]js.Value) js.Value)) {
	def("embedPart", b.embedPart)
}
