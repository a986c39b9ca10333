package kernel

import "math"

// The int8 Linear multiplies int8 weights by activations quantized to int16,
// one symmetric scale per row, and sums in int32 (wasm's i32x4.dot_i16x8_s).
// int16 rather than int8 activations because the dot instruction takes int16
// either way, so the wider type costs nothing in speed, and BERT's
// activations (the residual stream's outlier dimensions, GELU's long tail)
// lose too much at 8 bits.
//
// Overflow bound. With |w| ≤ 128 (any int8, though the converter writes
// ±127) and |x_q| ≤ A, every partial sum of a dot product over K terms, in
// any order, is bounded by Σ|w·x_q| ≤ 128·K·A. It fits in int32 when
//
//	A ≤ (2³¹−1) / (128·K)
//
// so actLimit picks the largest such A, capped at int16's 32767: full int16
// for K ≤ 512 (MiniLM's 384), 10922 levels (13.4 bits) for K = 1536, still
// 86× finer than the weights' 127. The pair sums inside dot_i16x8_s are at
// most 2·128·32767 and cannot overflow either.

// maxQuantIn is the widest input NewInt8 accepts: beyond it actLimit would
// drop below 255, twice the weights' own ±127 and no finer.
const maxQuantIn = 1 << 16

// actLimit returns A, the largest |x_q| for which a K-term int16×int8 dot
// product cannot overflow int32.
func actLimit(k int) int32 {
	return int32(min(math.MaxInt16, math.MaxInt32/(128*k)))
}

// quantizeRows writes rows rows of x (row length in) to xq as int16 with row
// stride ldq ≥ in, zero-filling columns in..ldq, and sets scale[r] so that
// x[r][k] ≈ xq[r][k]·scale[r] with |xq| ≤ limit. A row of zeros gets scale
// 0. Rounding is to nearest even, in float32, so the SIMD version can match
// it bit for bit.
func quantizeRowsRef(xq []int16, scale []float32, x []float32, rows, in, ldq int, limit int32) {
	for r := 0; r < rows; r++ {
		xr, qr := x[r*in:(r+1)*in], xq[r*ldq:(r+1)*ldq]
		var m float32
		for _, v := range xr {
			m = max(m, abs32(v))
		}
		if m == 0 {
			clear(qr)
			scale[r] = 0
			continue
		}
		inv := float32(limit) / m
		for k, v := range xr {
			qr[k] = int16(math.RoundToEven(float64(v * inv)))
		}
		clear(qr[in:])
		scale[r] = m / float32(limit)
	}
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }
