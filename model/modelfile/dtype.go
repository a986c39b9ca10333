package modelfile

import "github.com/wasmbert/wasmbert/internal/errfmt"

// DType is the storage type of a tensor in a model file.
type DType string

// The storage types. I8 and I4 apply to 2-D tensors only.
const (
	F32 DType = "f32" // little-endian IEEE 754 binary32
	F16 DType = "f16" // little-endian IEEE 754 binary16
	I8  DType = "i8"  // int8 [rows*cols], then f32 scale [rows]
	I4  DType = "i4"  // nibbles, two per byte, each row padded to a whole byte, then f32 scale [rows*groups]
)

// DefaultGroupSize is the number of inputs sharing one scale in I4 tensors.
const DefaultGroupSize = 32

// ParseDType accepts the dtype names used in the file and on the command line.
func ParseDType(s string) (DType, error) {
	switch s {
	case "f32", "float32":
		return F32, nil
	case "f16", "float16":
		return F16, nil
	case "i8", "int8":
		return I8, nil
	case "i4", "int4":
		return I4, nil
	}
	return "", errfmt.Errorf("unknown dtype %q (want f32, f16, int8 or int4)", s)
}

// dataSize returns the number of bytes a tensor of the given dtype and shape
// occupies. It fails on shapes that are empty, have non-positive dims, or
// exceed maxElements, so the result is always safe to compare against a
// size read from a file.
func dataSize(dt DType, shape []int, groupSize int) (int64, error) {
	if len(shape) == 0 || len(shape) > 4 {
		return 0, errfmt.Errorf("shape %v: want 1 to 4 dims", shape)
	}
	n := int64(1)
	for _, d := range shape {
		if d <= 0 || int64(d) > maxElements {
			return 0, errfmt.Errorf("shape %v: bad dim %d", shape, d)
		}
		n *= int64(d)
		if n > maxElements {
			return 0, errfmt.Errorf("shape %v: more than %d elements", shape, maxElements)
		}
	}
	switch dt {
	case F32:
		return 4 * n, nil
	case F16:
		return 2 * n, nil
	case I8, I4:
		if len(shape) != 2 {
			return 0, errfmt.Errorf("dtype %s needs a 2-D shape, got %v", string(dt), shape)
		}
		rows, cols := int64(shape[0]), int64(shape[1])
		if dt == I8 {
			return rows*cols + 4*rows, nil
		}
		if groupSize <= 0 || groupSize > maxGroupSize {
			return 0, errfmt.Errorf("dtype i4: bad group size %d", groupSize)
		}
		groups := (cols + int64(groupSize) - 1) / int64(groupSize)
		return rows*((cols+1)/2) + 4*rows*groups, nil
	}
	return 0, errfmt.Errorf("unknown dtype %q", string(dt))
}
