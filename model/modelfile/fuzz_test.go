package modelfile_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	. "github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/modelwriter"
)

// allocBudget bounds the bytes one decode of an n-byte input may allocate:
// a constant multiple of what the input backs (an i4 byte dequantizes to
// eight bytes of float32, and the raw data is held alongside), plus the two
// eager reads (header, then one tensor) that readN allows before the stream
// has shown it backs them, plus slack for bookkeeping.
func allocBudget(n int) uint64 { return 64*uint64(n) + 2*EagerAlloc + 1<<20 }

// allocated returns the bytes f allocates. It is meaningful with one
// goroutine at work, which is how the fuzzer (-parallel 1) and tests run it.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// decodeAll decodes b the way a model loader does and fails the test if a
// decoded tensor's accessors fail.
func decodeAll(t *testing.T, b []byte) error {
	_, tensors, err := ReadAll(bytes.NewReader(b))
	if err != nil {
		return err
	}
	for _, tt := range tensors {
		if _, err := tt.Float32(); err != nil {
			t.Fatalf("decoded tensor %s: Float32: %v", tt.Name, err)
		}
		if tt.DType == I8 {
			if _, _, err := tt.Int8(); err != nil {
				t.Fatalf("decoded tensor %s: Int8: %v", tt.Name, err)
			}
		}
		if tt.DType == I4 {
			if _, _, err := tt.Int4(); err != nil {
				t.Fatalf("decoded tensor %s: Int4: %v", tt.Name, err)
			}
		}
	}
	return nil
}

// FuzzDecode feeds arbitrary bytes to the Decoder: it must return an error
// or tensors whose accessors work, never panic, and never allocate from a
// size the input does not back.
// go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 1m -parallel 1 ./model/modelfile/
func FuzzDecode(f *testing.F) {
	for _, dt := range []DType{F32, F16, I8, I4} {
		h, data := tinyModel()
		var buf bytes.Buffer
		if err := modelwriter.Write(&buf, h, data, weightsAs(h, dt)); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:200])
	}
	f.Add([]byte("WASMBERT"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := allocated(func() { decodeAll(t, b) }); got > allocBudget(len(b)) {
			t.Fatalf("decoding %d bytes allocated %d bytes, budget %d", len(b), got, allocBudget(len(b)))
		}
	})
}

// TestDecodeForgedSizes checks that sizes a short file claims, in the
// preamble or in the tensor table, cannot make the decoder allocate them.
func TestDecodeForgedSizes(t *testing.T) {
	valid := encodeTiny(t, I8)
	hugeHeader := bytes.Clone(valid[:PreambleSize+64])
	// The largest header length the limit allows (the data after it stays aligned).
	binary.LittleEndian.PutUint64(hugeHeader[12:], MaxHeaderSize-PreambleSize)
	last := len(tinyTensorNames()) - 1
	hugeTensor := withHeader(t, func(h map[string]any) {
		// 2^30 int8 weights and their 2^15 float32 row scales.
		tensorField(last, "shape", []any{1 << 15, 1 << 15})(h)
		tensorField(last, "size", 1<<30+4<<15)(h)
	})
	tests := []struct {
		name string
		file []byte
	}{
		{"header length", hugeHeader},
		{"tensor size", hugeTensor},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			got := allocated(func() { err = decodeAll(t, tc.file) })
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("err = %v, want ErrTruncated", err)
			}
			if got > allocBudget(len(tc.file)) {
				t.Fatalf("decoding %d bytes allocated %d bytes, budget %d", len(tc.file), got, allocBudget(len(tc.file)))
			}
		})
	}
}

func tinyTensorNames() []string {
	h, _ := tinyModel()
	names := make([]string, len(h.Tensors))
	for i, tt := range h.Tensors {
		names[i] = tt.Name
	}
	return names
}
