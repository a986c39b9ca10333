package modelfile

import (
	"encoding/binary"
	"math"
	"unsafe"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/internal/f16"
)

// Tensor is one tensor read from a model file: its table entry and its
// stored bytes, already checked against the entry's size and SHA-256.
type Tensor struct {
	TensorInfo
	Data []byte
}

// Float32 returns the values as float32, dequantizing i8 and i4 tensors.
func (t *Tensor) Float32() ([]float32, error) {
	if err := t.checkSize(); err != nil {
		return nil, err
	}
	switch t.DType {
	case F32:
		return f32s(t.Data), nil
	case F16:
		out := make([]float32, len(t.Data)/2)
		for i := range out {
			out[i] = f16.ToFloat32(binary.LittleEndian.Uint16(t.Data[2*i:]))
		}
		return out, nil
	case I8:
		q, scale, err := t.Int8()
		if err != nil {
			return nil, err
		}
		return DequantizeInt8(q, scale, t.Shape[0], t.Shape[1]), nil
	case I4:
		packed, scale, err := t.Int4()
		if err != nil {
			return nil, err
		}
		return DequantizeInt4(packed, scale, t.Shape[0], t.Shape[1], t.GroupSize), nil
	}
	return nil, errfmt.Errorf("tensor %s: unknown dtype %q", t.Name, string(t.DType))
}

// Int8 returns the quantized values and per-row scales of an i8 tensor:
// W[r][c] = q[r*cols+c] * scale[r].
func (t *Tensor) Int8() (q []int8, scale []float32, err error) {
	if t.DType != I8 {
		return nil, nil, errfmt.Errorf("tensor %s: dtype %s, not i8", t.Name, string(t.DType))
	}
	if err := t.checkSize(); err != nil {
		return nil, nil, err
	}
	n := t.Shape[0] * t.Shape[1]
	q = make([]int8, n)
	// One memmove rather than a loop over bytes: on wasm the first call of
	// a loop runs as V8 baseline code, and the first i8 tensor is the
	// embedding table.
	copy(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(q))), n), t.Data[:n])
	return q, f32s(t.Data[n:]), nil
}

// Int4 returns the packed nibbles and per-group scales of an i4 tensor in
// the layout QuantizeInt4 documents.
func (t *Tensor) Int4() (packed []byte, scale []float32, err error) {
	if t.DType != I4 {
		return nil, nil, errfmt.Errorf("tensor %s: dtype %s, not i4", t.Name, string(t.DType))
	}
	if err := t.checkSize(); err != nil {
		return nil, nil, err
	}
	n := t.Shape[0] * ((t.Shape[1] + 1) / 2)
	return t.Data[:n], f32s(t.Data[n:]), nil
}

// checkSize guards Tensors built by hand rather than by a Decoder.
func (t *Tensor) checkSize() error {
	want, err := dataSize(t.DType, t.Shape, t.GroupSize)
	if err != nil {
		return errfmt.Errorf("tensor %s: %w", t.Name, err)
	}
	if int64(len(t.Data)) != want {
		return errfmt.Errorf("tensor %s: %d bytes, want %d", t.Name, len(t.Data), want)
	}
	return nil
}

// f32s decodes little-endian float32s. On a little-endian machine (wasm
// always is) that is a memmove, which matters on wasm: a decode loop runs its
// first call, the whole 47 MB embedding table of an f32 file, as V8
// baseline code.
func f32s(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(out))), 4*len(out)), b)
		return out
	}
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}
