//go:build js && wasm

package main

import (
	"strconv"
	"syscall/js"
	"unsafe"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/tokenizer"
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
		return nil, errfmt.Errorf("wasmbert: texts must be an array of strings")
	}
	out := make([]string, v.Length())
	for k := range out {
		e := v.Index(k)
		if e.Type() != js.TypeString {
			return nil, errfmt.Errorf("wasmbert: texts[%d] is a %s, not a string", k, e.Type())
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
		return o, errfmt.Errorf("wasmbert: embed options must be an object")
	}
	if p := v.Get("pooling"); p.Type() == js.TypeString {
		o.Pooling = p.String()
	}
	if n := v.Get("normalize"); n.Type() == js.TypeBoolean {
		b := n.Bool()
		o.Normalize = &b
	}
	switch l := v.Get("layer"); l.Type() {
	case js.TypeNumber:
		o.Layer = strconv.Itoa(l.Int())
	case js.TypeString:
		o.Layer = l.String()
	}
	if t := v.Get("tokens"); t.Type() == js.TypeBoolean {
		o.Tokens = t.Bool()
	}
	if w := v.Get("words"); w.Type() == js.TypeString {
		o.Words = w.String()
	}
	if d := v.Get("dimensions"); d.Type() == js.TypeNumber {
		o.Dimensions = d.Int()
	}
	if p := v.Get("prompt"); p.Type() == js.TypeString {
		o.Prompt = p.String()
	}
	if m := v.Get("maxLength"); m.Type() == js.TypeNumber {
		o.MaxLength = m.Int()
	}
	if c := v.Get("chunk"); c.Type() == js.TypeObject {
		// Sizes left out stay zero/nil: the engine owns the defaults.
		var ch engine.Chunking
		if s := c.Get("size"); s.Type() == js.TypeNumber {
			ch.Size = s.Int()
		}
		if s := c.Get("overlap"); s.Type() == js.TypeNumber {
			n := s.Int()
			ch.Overlap = &n
		}
		o.Chunk = &ch
	}
	return o, nil
}

// embeddingsToJS packs the vectors into one Float32Array, copied once from
// Go memory: {data, count, dim}, per text {truncated, fullTokens, chunks}
// (engine.Embedding's fields of those names), plus with token vectors
// {tokenData, tokens} where tokens[i] lists the tokens of text i in
// tokenData order, and with word vectors (o.Words) {wordData, words}
// likewise. Offsets stay UTF-8 bytes: js/offsets.js converts them.
func embeddingsToJS(embs []engine.Embedding, o engine.EmbedOptions) js.Value {
	res := js.Global().Get("Object").New()
	res.Set("count", len(embs))
	dim := 0
	if len(embs) > 0 {
		dim = len(embs[0].Vector)
	}
	flat := make([]float32, 0, dim*len(embs))
	var tokFlat, wordFlat []float32
	var toks, words []any
	truncated, full, chunks := make([]any, len(embs)), make([]any, len(embs)), make([]any, len(embs))
	for i, e := range embs {
		truncated[i], full[i], chunks[i] = e.Truncated, e.FullTokens, e.Chunks
		flat = append(flat, e.Vector...)
		if e.Tokens != nil {
			// Each token is {token, id, start, end}, start and end byte
			// offsets into the UTF-8 text.
			meta := make([]any, len(e.Tokens))
			for k, t := range e.Tokens {
				meta[k] = map[string]any{"token": t.Token, "id": t.ID, "start": t.Start, "end": t.End}
				tokFlat = append(tokFlat, t.Vector...)
			}
			toks = append(toks, meta)
		}
		if o.Words != "" {
			// Each word is {text, start, end}, byte offsets as for tokens. A
			// text without words (the empty one) still gets its empty list.
			meta := make([]any, len(e.Words))
			for k, w := range e.Words {
				meta[k] = map[string]any{"text": w.Text, "start": w.Start, "end": w.End}
				wordFlat = append(wordFlat, w.Vector...)
			}
			words = append(words, meta)
		}
	}
	res.Set("data", float32sToJS(flat))
	res.Set("dim", dim)
	res.Set("truncated", truncated)
	res.Set("fullTokens", full)
	res.Set("chunks", chunks)
	if toks != nil {
		res.Set("tokens", toks)
		res.Set("tokenData", float32sToJS(tokFlat))
	}
	if words != nil {
		res.Set("words", words)
		res.Set("wordData", float32sToJS(wordFlat))
	}
	return res
}

func float32sToJS(v []float32) js.Value {
	out := jsFloat32Array.New(len(v))
	if len(v) > 0 {
		js.CopyBytesToJS(jsUint8Array.New(out.Get("buffer")), unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v)))
	}
	return out
}

// infoToJS is engine.Info as JS sees it (js/index.d.ts ModelInfo): camelCase
// like the rest of the JS API, not the snake_case of its JSON tags.
func infoToJS(i engine.Info) js.Value {
	dtypes := make(map[string]any, len(i.DTypes))
	for k, n := range i.DTypes {
		dtypes[k] = n
	}
	o := map[string]any{
		"dim": i.Dim, "layers": i.Layers, "heads": i.Heads, "maxLength": i.MaxLength,
		"vocabSize": i.VocabSize, "pooling": i.Pooling, "normalize": i.Normalize,
		"hiddenAct": i.HiddenAct, "dtypes": dtypes, "parameters": i.Parameters,
		"tokenizer": i.Tokenizer,
	}
	if len(i.Source) > 0 {
		src := make(map[string]any, len(i.Source))
		for k, v := range i.Source {
			src[k] = v
		}
		o["source"] = src
	}
	if len(i.Prompts) > 0 {
		prompts := make(map[string]any, len(i.Prompts))
		for k, v := range i.Prompts {
			prompts[k] = v
		}
		o["prompts"] = prompts
	}
	return js.ValueOf(o)
}

// encodingToJS is tokenizer.Encoding as JS sees it, in camelCase, with
// byteOffsets as [start, end) pairs of UTF-8 bytes; js/index.js adds the
// UTF-16 offsets.
func encodingToJS(e tokenizer.Encoding) js.Value {
	var byteSpans []any
	for _, o := range e.Offsets {
		byteSpans = append(byteSpans, []any{o.ByteStart, o.ByteEnd})
	}
	tokens := make([]any, len(e.Tokens))
	for k, t := range e.Tokens {
		tokens[k] = t
	}
	return js.ValueOf(map[string]any{
		"ids": numbersToJS(e.IDs), "tokens": tokens, "typeIds": numbersToJS(e.TypeIDs),
		"byteOffsets": byteSpans, "wordIds": numbersToJS(e.WordIDs),
		"truncated": e.Truncated, "fullLength": e.FullLength,
	})
}

func numbersToJS[T int | int32](v []T) []any {
	out := make([]any, len(v))
	for k, x := range v {
		out[k] = x
	}
	return out
}
