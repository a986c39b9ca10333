package pipe

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// Chunks written one after another arrive whole and in order, and Close
// ends the stream with io.EOF, as through io.Pipe.
func TestCopiesChunksInOrder(t *testing.T) {
	r, w := New()
	chunks := [][]byte{[]byte("hello, "), {}, bytes.Repeat([]byte("x"), 10000), []byte("!")}
	go func() {
		for _, c := range chunks {
			if n, err := w.Write(c); n != len(c) || err != nil {
				t.Errorf("Write(%d bytes) = %d, %v", len(c), n, err)
			}
		}
		w.Close()
	}()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := bytes.Join(chunks, nil); !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want %d", len(got), len(want))
	}
}

func TestCloseErrors(t *testing.T) {
	errStop := errors.New("stop")
	tests := []struct {
		name     string
		close    func(r *Reader, w *Writer)
		readErr  error
		writeErr error
	}{
		{"write end closed", func(_ *Reader, w *Writer) { w.Close() }, io.EOF, io.ErrClosedPipe},
		{"write end closed with error", func(_ *Reader, w *Writer) { w.CloseWithError(errStop) }, errStop, io.ErrClosedPipe},
		{"read end closed", func(r *Reader, _ *Writer) { r.CloseWithError(nil) }, io.ErrClosedPipe, io.ErrClosedPipe},
		{"read end closed with error", func(r *Reader, _ *Writer) { r.CloseWithError(errStop) }, io.ErrClosedPipe, errStop},
		{"first close counts", func(r *Reader, w *Writer) { w.CloseWithError(errStop); w.Close(); r.CloseWithError(nil) }, io.ErrClosedPipe, io.ErrClosedPipe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w := New()
			tt.close(r, w)
			if n, err := r.Read(make([]byte, 4)); n != 0 || err != tt.readErr {
				t.Errorf("Read = %d, %v; want 0, %v", n, err, tt.readErr)
			}
			if n, err := w.Write([]byte("abc")); n != 0 || err != tt.writeErr {
				t.Errorf("Write = %d, %v; want 0, %v", n, err, tt.writeErr)
			}
		})
	}
}

// A Write blocked on a reader that stops reading returns what it handed over
// and the reader's close error; one blocked when its own end is closed
// returns io.ErrClosedPipe, and readers get the close error.
func TestCloseUnblocksWrite(t *testing.T) {
	errStop := errors.New("stop")
	for _, readEnd := range []bool{true, false} {
		r, w := New()
		type result struct {
			n   int
			err error
		}
		done := make(chan result)
		go func() {
			n, err := w.Write([]byte("abcdef"))
			done <- result{n, err}
		}()
		b := make([]byte, 2)
		if n, err := r.Read(b); n != 2 || err != nil || string(b) != "ab" {
			t.Fatalf("Read = %d %q, %v; want 2 \"ab\", <nil>", n, b[:n], err)
		}
		want := result{2, errStop}
		if readEnd {
			r.CloseWithError(errStop)
		} else {
			w.CloseWithError(errStop)
			want.err = io.ErrClosedPipe
			if n, err := r.Read(b); n != 0 || err != errStop {
				t.Errorf("Read after the writer's close = %d, %v; want 0, %v", n, err, errStop)
			}
		}
		select {
		case got := <-done:
			if got != want {
				t.Errorf("readEnd=%v: Write = %d, %v; want %d, %v", readEnd, got.n, got.err, want.n, want.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("readEnd=%v: Write still blocked after the close", readEnd)
		}
	}
}
