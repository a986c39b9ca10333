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
// on entry and all of them when it returns "" (or why the call failed). It
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
// memory (see embedPart). Go's heap does not move, and Go is suspended
// while the function runs.
type jsExchange struct{ fn js.Value }

func (x jsExchange) AllGather(buf []float32, width, lo, hi int) error {
	ptr := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	if msg := x.fn.Invoke(ptr, len(buf), width, lo, hi).String(); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// exportSplit adds embedPart to the API object.
func (b *bridge) exportSplit(def func(string, func([]js.Value) js.Value)) {
	def("embedPart", b.embedPart)
}
