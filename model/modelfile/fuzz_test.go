package modelfile

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the Decoder: it must return an error
// or tensors whose accessors work, never panic, and never allocate from a
// size the input does not back (the test binary would run out of memory).
func FuzzDecode(f *testing.F) {
	for _, dt := range []DType{F32, F16, I8, I4} {
		h, data := tinyModel()
		var buf bytes.Buffer
		if err := Write(&buf, h, data, weightsAs(h, dt)); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:200])
	}
	f.Add([]byte("WASMBERT"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, tensors, err := ReadAll(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, tt := range tensors {
			if _, err := tt.Float32(); err != nil {
				t.Fatalf("decoded tensor %s: Float32: %v", tt.Name, err)
			}
		}
	})
}
