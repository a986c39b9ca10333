// Package pipe is io.Pipe without a select statement, for the browser engine.
//
// io.Pipe waits in select statements, and the first select in a program links
// the runtime's select implementation: about 17 kB of the engine's wasm for
// its one pipe (docs/design.md, "Engine size"). This pipe waits on a
// sync.Cond instead, with the same contract: each Write blocks until readers
// have taken all of its bytes or either end is closed, and a close error is
// what the other end sees.
package pipe

import (
	"io"
	"sync"
)

type pipe struct {
	mu   sync.Mutex
	cond sync.Cond
	buf  []byte // what the Write in progress still has to hand over
	werr error  // set once by the writer's close: what Read returns
	rerr error  // set once by the reader's close: what Write returns
}

// Reader is the read end of a pipe.
type Reader struct{ p *pipe }

// Writer is the write end of a pipe.
type Writer struct{ p *pipe }

// New returns the two ends of a synchronous in-memory pipe, as io.Pipe does.
// Reads and Writes may run in different goroutines; one Write at a time.
func New() (*Reader, *Writer) {
	p := &pipe{}
	p.cond.L = &p.mu
	return &Reader{p}, &Writer{p}
}

// Read reads from the Write in progress, waiting for one. After the write
// end is closed it returns that close error (io.EOF for Close), after the
// read end is closed io.ErrClosedPipe.
func (r *Reader) Read(b []byte) (int, error) {
	p := r.p
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		switch {
		case p.rerr != nil:
			return 0, io.ErrClosedPipe
		case p.werr != nil:
			return 0, p.werr
		case len(p.buf) > 0:
			n := copy(b, p.buf)
			p.buf = p.buf[n:]
			if len(p.buf) == 0 {
				p.cond.Broadcast()
			}
			return n, nil
		}
		p.cond.Wait()
	}
}

// CloseWithError closes the read end: a Write in progress and later ones
// return err, or io.ErrClosedPipe if err is nil. Only the first close counts.
func (r *Reader) CloseWithError(err error) {
	if err == nil {
		err = io.ErrClosedPipe
	}
	p := r.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rerr == nil {
		p.rerr = err
	}
	p.cond.Broadcast()
}

// Write hands b to readers and waits until they have read all of it. It
// returns fewer bytes and an error when either end is closed first.
func (w *Writer) Write(b []byte) (int, error) {
	p := w.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.writeErr(); err != nil {
		return 0, err
	}
	p.buf = b
	p.cond.Broadcast()
	for len(p.buf) > 0 && p.rerr == nil && p.werr == nil {
		p.cond.Wait()
	}
	n := len(b) - len(p.buf)
	p.buf = nil
	if n < len(b) {
		return n, p.writeErr()
	}
	return n, nil
}

// writeErr is what a Write returns once an end is closed.
func (p *pipe) writeErr() error {
	if p.werr != nil {
		return io.ErrClosedPipe
	}
	return p.rerr
}

// Close closes the write end: readers get io.EOF once they have read what was written.
func (w *Writer) Close() error {
	w.CloseWithError(nil)
	return nil
}

// CloseWithError closes the write end: readers get err, or io.EOF if err is
// nil. Only the first close counts.
func (w *Writer) CloseWithError(err error) {
	if err == nil {
		err = io.EOF
	}
	p := w.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.werr == nil {
		p.werr = err
	}
	p.cond.Broadcast()
}
