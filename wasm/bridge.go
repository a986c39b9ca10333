//go:build js && wasm

package main

import (
	"errors"
	"runtime"
	"syscall/js"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/engine"
)

// bridge holds the state of one instance: the loaded engine, or the load
// in progress. JS calls arrive one callback at a time.
type bridge struct {
	eng   *engine.Engine
	load  *load
	calls int // embed and tokenize calls, for collectEvery
}

// collectEvery is how many embed/tokenize calls run between forced Go
// collections. syscall/js lets go of the JS values a call touched (texts,
// options, result arrays) only when a collection finalizes them, and the
// engine's Go heap barely grows between calls (workspaces are reused), so
// without this a collection came every few thousand calls and the JS heap
// swung by megabytes in between. A collection costs about a millisecond.
const collectEvery = 256

// collectDue counts a call and reports whether it should start with a collection.
func (b *bridge) collectDue() bool {
	b.calls++
	return b.calls%collectEvery == 0
}

var errNotLoaded = errors.New("wasmbert: no model loaded (call load first)")

// exports returns the API object handed to JS and the functions to release
// when the program ends.
func (b *bridge) exports(quit chan struct{}) (js.Value, []js.Func) {
	api := js.Global().Get("Object").New()
	var funcs []js.Func
	def := func(name string, fn func(args []js.Value) js.Value) {
		f := js.FuncOf(func(_ js.Value, args []js.Value) any { return fn(args) })
		funcs = append(funcs, f)
		api.Set(name, f)
	}
	def("loadBegin", b.loadBegin)
	def("loadChunk", b.loadChunk)
	def("loadEnd", b.loadEnd)
	def("loadAbort", b.loadAbort)
	def("embed", b.embed)
	def("tokenize", b.tokenize)
	def("info", b.info)
	def("exit", func([]js.Value) js.Value {
		select {
		case <-quit:
		default:
			close(quit)
		}
		return js.Undefined()
	})
	return api, funcs
}

func (b *bridge) loadBegin(args []js.Value) js.Value {
	if b.load != nil {
		return rejected(errors.New("wasmbert: a load is already in progress"))
	}
	var total int64
	if len(args) > 0 && args[0].Type() == js.TypeNumber {
		if t := args[0].Float(); t > 0 {
			total = int64(t)
		}
	}
	b.eng = nil // a new model replaces the old one
	b.load = startLoad(total)
	return async(func() (any, error) { return nil, nil })
}

func (b *bridge) loadChunk(args []js.Value) js.Value {
	if b.load == nil {
		return rejected(errors.New("wasmbert: loadChunk before loadBegin"))
	}
	if len(args) < 1 || !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return rejected(errors.New("wasmbert: loadChunk takes a Uint8Array"))
	}
	// One copy, into Go memory; the JS buffer is free once we return.
	p := make([]byte, args[0].Get("byteLength").Int())
	js.CopyBytesToGo(p, args[0])
	return b.load.chunk(p)
}

func (b *bridge) loadEnd([]js.Value) js.Value {
	if b.load == nil {
		return rejected(errors.New("wasmbert: loadEnd before loadBegin"))
	}
	wait := b.load.end()
	b.load = nil
	return async(func() (any, error) {
		eng, err := wait()
		if err != nil {
			return nil, err
		}
		b.eng = eng
		return infoToJS(eng.Info()), nil
	})
}

func (b *bridge) loadAbort(args []js.Value) js.Value {
	if b.load != nil {
		reason := "by the caller"
		if len(args) > 0 && args[0].Type() == js.TypeString {
			reason = args[0].String()
		}
		b.load.abort(reason)
		b.load = nil
	}
	return async(func() (any, error) { return nil, nil })
}

func (b *bridge) embed(args []js.Value) js.Value {
	if b.eng == nil {
		return rejected(errNotLoaded)
	}
	texts, err := stringsArg(args, 0)
	if err != nil {
		return rejected(err)
	}
	opts, err := embedOptions(argOrUndefined(args, 1), b.eng.Info().MaxLength)
	if err != nil {
		return rejected(err)
	}
	eng, collect := b.eng, b.collectDue()
	return async(func() (any, error) {
		if collect {
			runtime.GC()
		}
		embs, err := eng.Embed(texts, opts)
		if err != nil {
			return nil, errfmt.Errorf("wasmbert: embed: %w", err)
		}
		return embeddingsToJS(texts, embs, opts), nil
	})
}

func (b *bridge) tokenize(args []js.Value) js.Value {
	if b.eng == nil {
		return rejected(errNotLoaded)
	}
	if len(args) < 1 || args[0].Type() != js.TypeString {
		return rejected(errors.New("wasmbert: tokenize takes a string"))
	}
	text, eng, collect := args[0].String(), b.eng, b.collectDue()
	return async(func() (any, error) {
		if collect {
			runtime.GC()
		}
		enc, err := eng.Tokenize(text)
		if err != nil {
			return nil, errfmt.Errorf("wasmbert: tokenize: %w", err)
		}
		return encodingToJS(text, enc), nil
	})
}

func (b *bridge) info([]js.Value) js.Value {
	if b.eng == nil {
		return rejected(errNotLoaded)
	}
	eng := b.eng
	return async(func() (any, error) { return infoToJS(eng.Info()), nil })
}
