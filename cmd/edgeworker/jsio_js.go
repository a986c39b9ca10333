//go:build js && wasm

package main

import (
	"errors"
	"io"
	"syscall/js"
)

// await blocks the calling goroutine until the JS promise p settles. Go's scheduler returns to
// the JS event loop meanwhile, and the promise's callback resumes the goroutine in the context
// of whatever settled it: no Go timer is involved (see shim/worker.mjs on why that matters).
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg0(args)}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: jsError(arg0(args))}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	js.Global().Get("Promise").Call("resolve", p).Call("then", onOK, onErr)
	r := <-ch
	return r.v, r.err
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

// jsError turns a rejection reason into a Go error carrying its message.
func jsError(v js.Value) error {
	if v.Type() == js.TypeObject {
		if m := v.Get("message"); m.Type() == js.TypeString {
			return errors.New(m.String())
		}
	}
	return errors.New(v.Call("toString").String())
}

// streamReader reads a JS ReadableStream of Uint8Array chunks.
type streamReader struct {
	reader js.Value // ReadableStreamDefaultReader
	buf    []byte   // the rest of the last chunk
	done   bool
}

func newStreamReader(stream js.Value) *streamReader {
	return &streamReader{reader: stream.Call("getReader")}
}

func (s *streamReader) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.done {
			return 0, io.EOF
		}
		r, err := await(s.reader.Call("read"))
		if err != nil {
			return 0, err
		}
		if r.Get("done").Bool() {
			s.done = true
			continue
		}
		chunk := r.Get("value")
		s.buf = make([]byte, chunk.Get("byteLength").Int())
		js.CopyBytesToGo(s.buf, chunk)
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// Close cancels the stream, so a body left unread is not kept open.
func (s *streamReader) Close() error {
	if !s.done {
		s.done = true
		s.reader.Call("cancel")
	}
	return nil
}
