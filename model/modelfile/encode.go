package modelfile

import (
	"encoding/binary"
	"math"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/internal/f16"
)

// EncodeTensor turns float32 values into the stored bytes of a tensor of dtype dt
// (groupSize: i4 only), as a writer stores them.
func EncodeTensor(dt DType, shape []int, groupSize int, data []float32) ([]byte, error) {
	size, err := dataSize(dt, shape, groupSize)
	if err != nil {
		return nil, err
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	if len(data) != n {
		return nil, errfmt.Errorf("%d values for shape %v", len(data), shape)
	}
	out := make([]byte, 0, size)
	switch dt {
	case F32:
		for _, v := range data {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
	case F16:
		for _, v := range data {
			out = binary.LittleEndian.AppendUint16(out, f16.FromFloat32(v))
		}
	case I8, I4:
		for i, v := range data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, errfmt.Errorf("cannot quantize non-finite value %v at index %d", v, i)
			}
		}
		rows, cols := shape[0], shape[1]
		var scale []float32
		if dt == I8 {
			var q []int8
			q, scale = QuantizeInt8(data, rows, cols)
			for _, v := range q {
				out = append(out, byte(v))
			}
		} else {
			var packed []byte
			packed, scale = QuantizeInt4(data, rows, cols, groupSize)
			out = append(out, packed...)
		}
		for _, s := range scale {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(s))
		}
	}
	return out, nil
}
