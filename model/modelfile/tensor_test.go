package modelfile

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// TestTensorAccessorsDecodeBytes checks Float32 and Int8 against the format's
// definition, little-endian float32 and two's complement int8, on shapes whose
// i8 scales start at every alignment.
func TestTensorAccessorsDecodeBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, shape := range [][]int{{1, 1}, {3, 5}, {7, 3}, {2, 2}, {17, 33}} {
		rows, cols := shape[0], shape[1]
		f32 := &Tensor{TensorInfo: TensorInfo{Name: "f", DType: F32, Shape: shape}, Data: make([]byte, 4*rows*cols)}
		i8 := &Tensor{TensorInfo: TensorInfo{Name: "q", DType: I8, Shape: shape}, Data: make([]byte, rows*cols+4*rows)}
		for _, d := range [][]byte{f32.Data, i8.Data} {
			for i := range d {
				d[i] = byte(rng.Uint32())
			}
		}
		v, err := f32.Float32()
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range v {
			if want := math.Float32frombits(binary.LittleEndian.Uint32(f32.Data[4*i:])); math.Float32bits(x) != math.Float32bits(want) {
				t.Fatalf("%v f32[%d] = %g, want %g", shape, i, x, want)
			}
		}
		q, scale, err := i8.Int8()
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range q {
			if x != int8(i8.Data[i]) {
				t.Fatalf("%v q[%d] = %d, want %d", shape, i, x, int8(i8.Data[i]))
			}
		}
		for r, s := range scale {
			off := rows*cols + 4*r
			if want := math.Float32frombits(binary.LittleEndian.Uint32(i8.Data[off:])); math.Float32bits(s) != math.Float32bits(want) {
				t.Fatalf("%v scale[%d] = %g, want %g", shape, r, s, want)
			}
		}
		// The results are copies: the tensor's bytes are not shared.
		if len(v) > 0 {
			v[0], q[0] = math.Float32frombits(math.Float32bits(v[0])^1), q[0]+1
			if v2, _ := f32.Float32(); math.Float32bits(v2[0]) == math.Float32bits(v[0]) {
				t.Fatalf("%v: Float32 shares the tensor's bytes", shape)
			}
			if q2, _, _ := i8.Int8(); q2[0] == q[0] {
				t.Fatalf("%v: Int8 shares the tensor's bytes", shape)
			}
		}
	}
}
