//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"
	"unsafe"

	"github.com/wasmbert/wasmbert/model/engine"
)

var (
	jsArray        = js.Global().Get("Array")
	jsFloat32Array = js.Global().Get("Float32Array")
	jsUint8Array   = js.Global().Get("Uint8Array")
)

func argOrUndefined(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// stringsArg reads args[i] as an array of strings.
func stringsArg(args []js.Value, i int) ([]string, error) {
	v := argOrUndefined(args, i)
	if !jsArray.Call("isArray", v).Bool() {
		return nil, fmt.Errorf("wasmbert: texts must be an array of strings")
	}
	out := make([]string, v.Length())
	for k := range out {
		e := v.Index(k)
		if e.Type() != js.TypeString {
			return nil, fmt.Errorf("wasmbert: texts[%d] is a %s, not a string", k, e.Type())
		}
		out[k] = e.String()
	}
	return out, nil
}

// embedOptions reads the options object js/vectors.js checked and posted.
func embedOptions(v js.Value) (engine.EmbedOptions, error) {
	var o engine.EmbedOptions
	if v.IsUndefined() || v.IsNull() {
		return o, nil
	}
	if v.Type() != js.TypeObject {
		return o, fmt.Errorf("wasmbert: embed options must be an object")
	}
	if p := v.Get("pooling"); p.Type() == js.TypeString {
		o.Pooling = p.String()
	}
	if n := v.Get("normalize"); n.Type() == js.TypeBoolean {
		b := n.Bool()
		o.Normalize = &b
	}
	if l := v.Get("layer"); l.Type() == js.TypeNumber {
		k := l.Int()
		o.Layer = &k
	}
	if t := v.Get("tokens"); t.Type() == js.TypeBoolean {
		o.Tokens = t.Bool()
	}
	if d := v.Get("dimensions"); d.Type() == js.TypeNumber {
		o.Dimensions = d.Int()
	}
	if t := v.Get("truncate"); t.Type() == js.TypeBoolean {
		o.Truncate = t.Bool()
	}
	if c := v.Get("chunk"); c.Type() == js.TypeObject {
		o.Chunk = true
		if s := c.Get("size"); s.Type() == js.TypeNumber {
			o.ChunkSize = s.Int()
		}
		if s := c.Get("overlap"); s.Type() == js.TypeNumber {
			o.ChunkOverlap = s.Int()
		}
	}
	return o, nil
}

// embeddingsToJS packs every vector into one Float32Array, copied once from
// Go memory: {data, count, dim, lengths}. lengths[i] is the number of rows
// of embedding i (1 for a pooled vector, the token count with tokens: true).
func embeddingsToJS(embs []engine.Embedding) js.Value {
	res := js.Global().Get("Object").New()
	res.Set("count", len(embs))
	dim, total := 0, 0
	lengths := make([]any, len(embs))
	for i, e := range embs {
		rows := e.Rows()
		if rows > 0 {
			dim = len(e.Vector) / rows
		}
		lengths[i] = rows
		total += len(e.Vector)
	}
	flat := make([]float32, 0, total)
	for _, e := range embs {
		flat = append(flat, e.Vector...)
	}
	data := jsFloat32Array.New(total)
	if total > 0 {
		js.CopyBytesToJS(jsUint8Array.New(data.Get("buffer")), unsafe.Slice((*byte)(unsafe.Pointer(&flat[0])), 4*total))
	}
	res.Set("data", data)
	res.Set("dim", dim)
	res.Set("lengths", lengths)
	return res
}
