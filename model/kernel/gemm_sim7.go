//go:build wasmbert_sim7 && !(goexperiment.simd && (wasm || amd64))

package kernel

import "math"

// A build for measuring, never shipped: the portable kernels with the int8
// Linear's activations quantized as relaxed SIMD's
// i32x4.relaxed_dot_i8x16_i7x16_add_s would need them, 7-bit unsigned
// ([0, 127]) with one scale and zero point per row, instead of int16. The
// integer sums are exact either way, so handing the int16 kernel q − zp
// gives exactly what the relaxed dot plus the zero-point correction
// (zp × the weights' column sums) would. go test -tags wasmbert_sim7
// ./model/engine -run TestInt8BenchReference measures it (docs/design.md,
// "Relaxed SIMD").

func gemm4x8F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	gemm4x8F32Go(c, x, ldx, panel, in)
}

func gemm1x8F32(c *[panelWidth]float32, x, panel []float32, in int) {
	gemm1x8F32Go(c, x, panel, in)
}

func gemm4x8I16(c *[4 * panelWidth]float32, x []int16, ldx int, q []int8, rs *[4]float32) {
	gemm4x8I16Go(c, x, ldx, q, ldx, rs)
}

// quantizeRows sets xq[r][k] = q − zp with q = clamp(round(x/s) + zp, 0,
// 127), s = (max − min)/127 over the row with 0 in the range (so zero, and
// the padding, quantize exactly), zp = round(−min/s).
func quantizeRows(xq []int16, scale []float32, x []float32, rows, in, ldq int, _ int32) {
	const levels = 127
	for r := 0; r < rows; r++ {
		xr, qr := x[r*in:(r+1)*in], xq[r*ldq:(r+1)*ldq]
		var lo, hi float32
		for _, v := range xr {
			lo, hi = min(lo, v), max(hi, v)
		}
		clear(qr)
		if lo == hi {
			scale[r] = 0
			continue
		}
		s := (hi - lo) / levels
		zp := float32(math.RoundToEven(float64(-lo / s)))
		for k, v := range xr {
			q := min(max(float32(math.RoundToEven(float64(v/s)))+zp, 0), levels)
			qr[k] = int16(q - zp)
		}
		scale[r] = s
	}
}
