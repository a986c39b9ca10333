//go:build goexperiment.simd && wasm

package kernel

import (
	"math"
	"unsafe"
)

// quantizeRows is quantizeRowsRef with the max and the bulk of the rounding
// in SIMD: per element the scalar version cost about half as much as the
// int8 GEMM's 384 multiply-adds (measured, 128×1536).
func quantizeRows(xq []int16, scale []float32, x []float32, rows, in, ldq int, limit int32) {
	_, _, _ = xq[rows*ldq-1], x[rows*in-1], scale[rows-1]
	bulk := in &^ 7
	for r := 0; r < rows; r++ {
		xr, qr := x[r*in:(r+1)*in], xq[r*ldq:(r+1)*ldq]
		m := maxAbs(xr)
		if m == 0 {
			clear(qr)
			scale[r] = 0
			continue
		}
		inv := float32(limit) / m
		if bulk > 0 {
			quantizeAsm(unsafe.SliceData(qr), unsafe.SliceData(xr), bulk, inv)
		}
		for k := bulk; k < in; k++ {
			qr[k] = int16(math.RoundToEven(float64(xr[k] * inv)))
		}
		clear(qr[in:])
		scale[r] = m / float32(limit)
	}
}

// maxAbs returns max|x|.
func maxAbs(x []float32) float32 {
	var m float32
	bulk := len(x) &^ 7
	if bulk > 0 {
		var lanes [4]uint32
		maxAbsAsm(&lanes, unsafe.SliceData(x), bulk)
		m = math.Float32frombits(max(lanes[0], lanes[1], lanes[2], lanes[3]))
	}
	for _, v := range x[bulk:] {
		m = max(m, abs32(v))
	}
	return m
}

// maxAbsAsm sets m to the bits of max|x[k]| over k ≡ lane (mod 4), for
// k < n, n a positive multiple of 8 (quantize_rows_wasm.s).
//
//go:noescape
func maxAbsAsm(m *[4]uint32, x *float32, n int)

// quantizeAsm sets dst[k] = round-to-even(x[k]·inv) for k < n, n a multiple
// of 8 (quantize_rows_wasm.s): i16x8.narrow_i32x4_s, which packs two
// vectors of int32 into one of int16, is not in simd/archsimd on wasm.
//
//go:noescape
func quantizeAsm(dst *int16, x *float32, n int, inv float32)
