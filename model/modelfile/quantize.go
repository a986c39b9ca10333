package modelfile

import "math"

// QuantizeInt8 quantizes a row-major [rows, cols] matrix symmetrically with
// one scale per row: w[r][c] ≈ q[r*cols+c] * scale[r], |error| ≤ scale[r]/2.
func QuantizeInt8(w []float32, rows, cols int) (q []int8, scale []float32) {
	q = make([]int8, rows*cols)
	scale = make([]float32, rows)
	for r := range rows {
		row := w[r*cols : (r+1)*cols]
		s := maxAbs(row) / 127
		scale[r] = s
		if s == 0 {
			continue
		}
		inv := 1 / s
		for c, v := range row {
			q[r*cols+c] = int8(clampRound(v*inv, 127))
		}
	}
	return q, scale
}

// DequantizeInt8 is the inverse of QuantizeInt8.
func DequantizeInt8(q []int8, scale []float32, rows, cols int) []float32 {
	w := make([]float32, rows*cols)
	for r := range rows {
		s := scale[r]
		for c := range cols {
			w[r*cols+c] = float32(q[r*cols+c]) * s
		}
	}
	return w
}

// QuantizeInt4 quantizes a row-major [rows, cols] matrix symmetrically to
// values in [-7, 7], one scale per group of groupSize consecutive inputs of
// a row. Two values share a byte (even column in the low nibble); each row
// starts on a byte boundary. scale has rows*ceil(cols/groupSize) entries.
func QuantizeInt4(w []float32, rows, cols, groupSize int) (packed []byte, scale []float32) {
	groups := (cols + groupSize - 1) / groupSize
	rowBytes := (cols + 1) / 2
	packed = make([]byte, rows*rowBytes)
	scale = make([]float32, rows*groups)
	for r := range rows {
		row := w[r*cols : (r+1)*cols]
		out := packed[r*rowBytes : (r+1)*rowBytes]
		for g := range groups {
			lo, hi := g*groupSize, min((g+1)*groupSize, cols)
			s := maxAbs(row[lo:hi]) / 7
			scale[r*groups+g] = s
			if s == 0 {
				continue
			}
			inv := 1 / s
			for c := lo; c < hi; c++ {
				n := byte(int8(clampRound(row[c]*inv, 7))) & 0x0f
				out[c/2] |= n << (4 * (c % 2))
			}
		}
	}
	return packed, scale
}

// DequantizeInt4 is the inverse of QuantizeInt4.
func DequantizeInt4(packed []byte, scale []float32, rows, cols, groupSize int) []float32 {
	groups := (cols + groupSize - 1) / groupSize
	rowBytes := (cols + 1) / 2
	w := make([]float32, rows*cols)
	for r := range rows {
		in := packed[r*rowBytes : (r+1)*rowBytes]
		for c := range cols {
			n := int8(in[c/2]>>(4*(c%2))) << 4 >> 4 // sign-extend the nibble
			w[r*cols+c] = float32(n) * scale[r*groups+c/groupSize]
		}
	}
	return w
}

func maxAbs(x []float32) float32 {
	var m float32
	for _, v := range x {
		if a := float32(math.Abs(float64(v))); a > m {
			m = a
		}
	}
	return m
}

func clampRound(v float32, limit float32) float32 {
	r := float32(math.RoundToEven(float64(v)))
	return max(-limit, min(limit, r))
}
