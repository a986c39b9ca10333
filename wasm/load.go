//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/internal/pipe"
	"github.com/wasmbert/wasmbert/model/engine"
)

// load is one model load in progress: JS pushes chunks into a pipe whose
// reading end engine.Load consumes in a goroutine, so the model builds while
// the bytes arrive and no copy of the whole file is ever held.
type load struct {
	w       *pipe.Writer
	total   int64 // announced size, 0 if unknown
	written int64
	tail    chan struct{}  // closed when the last queued chunk was written
	done    chan struct{}  // closed when engine.Load returned
	eng     *engine.Engine // valid after done
	err     error          // valid after done
}

func startLoad(total int64) *load {
	r, w := pipe.New()
	l := &load{w: w, total: total, tail: make(chan struct{}), done: make(chan struct{})}
	close(l.tail)
	go func() {
		defer close(l.done)
		l.eng, l.err = engine.Load(r)
		// Unblock a writer still waiting on a loader that stopped reading.
		r.CloseWithError(errLoadStopped(l.err))
	}()
	return l
}

func errLoadStopped(err error) error {
	if err != nil {
		return err
	}
	return errors.New("load model: bytes after the end of the model file")
}

// chunk queues p after every chunk queued before it; the returned Promise
// resolves when the engine has read p.
func (l *load) chunk(p []byte) js.Value {
	prev, next := l.tail, make(chan struct{})
	l.tail = next
	return async(func() (any, error) {
		defer close(next)
		<-prev
		if _, err := l.w.Write(p); err != nil {
			return nil, errfmt.Errorf("wasmbert: %w", err) // engine.Load's error: "load model: ..."
		}
		l.written += int64(len(p))
		return nil, nil
	})
}

// end closes the stream once the chunks queued so far are written, and
// waits for the engine. It must be called from the JS callback (not a
// goroutine) so that it sees exactly the chunks queued before it.
func (l *load) end() func() (*engine.Engine, error) {
	tail := l.tail
	return func() (*engine.Engine, error) {
		<-tail
		return l.finish()
	}
}

func (l *load) finish() (*engine.Engine, error) {
	if l.total > 0 && l.written != l.total {
		l.w.CloseWithError(errfmt.Errorf("got %d of %d bytes", l.written, l.total))
	} else {
		l.w.Close()
	}
	<-l.done
	if l.err != nil {
		return nil, errfmt.Errorf("wasmbert: %w", l.err) // engine.Load says "load model: "
	}
	return l.eng, nil
}

func (l *load) abort(reason string) {
	l.w.CloseWithError(errfmt.Errorf("aborted: %s", reason))
}
