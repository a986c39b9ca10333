package modelfile

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// TestReadN checks sizes around eagerAlloc and its doublings, through
// readers that return short reads: the bytes come back in order, in a slice
// with no spare capacity, and a stream cut anywhere is ErrUnexpectedEOF.
func TestReadN(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	src := make([]byte, 4*eagerAlloc+3)
	for i := range src {
		src[i] = byte(rng.Uint32())
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"half", iotest.HalfReader},
		{"data+EOF", iotest.DataErrReader},
	}
	for _, n := range []int{0, 1, eagerAlloc - 1, eagerAlloc, eagerAlloc + 1, 2*eagerAlloc + 1, 3 * eagerAlloc, len(src)} {
		for _, rd := range readers {
			got, err := readN(rd.wrap(bytes.NewReader(src[:n])), int64(n))
			if err != nil {
				t.Fatalf("%s, %d bytes: %v", rd.name, n, err)
			}
			if !bytes.Equal(got, src[:n]) || cap(got) != n {
				t.Fatalf("%s, %d bytes: got %d bytes (cap %d), not the input", rd.name, len(got), cap(got), n)
			}
			if n == 0 {
				continue
			}
			for _, cut := range []int{0, n / 2, n - 1} {
				_, err := readN(rd.wrap(bytes.NewReader(src[:cut])), int64(n))
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("%s, %d of %d bytes: err = %v, want io.ErrUnexpectedEOF", rd.name, cut, n, err)
				}
			}
		}
	}
}

// TestReadNError passes a reader's own error through.
func TestReadNError(t *testing.T) {
	boom := errors.New("boom")
	for _, n := range []int64{10, 2 * eagerAlloc} {
		r := io.MultiReader(bytes.NewReader(make([]byte, eagerAlloc+1)), iotest.ErrReader(boom))
		if _, err := readN(r, n+eagerAlloc+1); !errors.Is(err, boom) {
			t.Errorf("readN(%d) = %v, want %v", n, err, boom)
		}
	}
}
