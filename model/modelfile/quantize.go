package modelfile

import "math"

// QuantizeInt8 quantizes a row-major [rows, cols] matrix symmetrically with
// one scale per row: w[r][c] ≈ q[r*cols+c] * scale[r], scale[r] =
// max|row|/127, |error| ≤ scale[r]/2. Unlike int4, int8 gains nothing from
// fitting the scale by least squares: on all-MiniLM-L6-v2 it left the mean
// cosine with sentence-transformers at 0.9994 and lowered the minimum
// (docs/model-format.md), so rows keep plain max-abs scaling.
func QuantizeInt8(w []float32, rows, cols int) (q []int8, scale []float32) {
	q = make([]int8, rows*cols)
	scale = make([]float32, rows)
	for r := range rows {
		row := w[r*cols : (r+1)*cols]
		var m float32
		for _, v := range row {
			m = max(m, abs32(v))
		}
		s := m / 127
		scale[r] = s
		if s == 0 {
			continue
		}
		inv := 1 / s
		for c, v := range row {
			q[r*cols+c] = int8(roundClamp(float64(v*inv), -127, 127))
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

// QuantizeInt4 quantizes a row-major [rows, cols] matrix to values in
// [-8, 7], one scale per group of groupSize consecutive inputs of a row. Two
// values share a byte (even column in the low nibble, two's complement); each
// row starts on a byte boundary. scale has rows*ceil(cols/groupSize) entries
// and may be negative: the value of largest magnitude in a group goes to -8
// whatever its sign, which gives the group 8 levels on its long side instead
// of 7 (as llama.cpp's Q4_0). Each group's scale is fitted by fitScale4.
func QuantizeInt4(w []float32, rows, cols, groupSize int) (packed []byte, scale []float32) {
	groups := (cols + groupSize - 1) / groupSize
	rowBytes := (cols + 1) / 2
	packed = make([]byte, rows*rowBytes)
	scale = make([]float32, rows*groups)
	levels := make([]int8, groupSize)
	for r := range rows {
		row := w[r*cols : (r+1)*cols]
		out := packed[r*rowBytes : (r+1)*rowBytes]
		for g := range groups {
			lo, hi := g*groupSize, min((g+1)*groupSize, cols)
			scale[r*groups+g] = fitScale4(row[lo:hi], levels[:hi-lo])
			for c := lo; c < hi; c++ {
				out[c/2] |= (byte(levels[c-lo]) & 0x0f) << (4 * (c % 2))
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

// clipRatios, 1.1 down to 0.6, are the fractions of the largest magnitude
// that fitScale4 tries to map onto level -8. Ratios below 1 clip outliers to
// give the bulk of the values finer steps; ratios above 1 leave headroom the
// least-squares refit can use.
var clipRatios = func() []float32 {
	var r []float32
	for k := -5; k <= 20; k++ {
		r = append(r, 1-0.02*float32(k))
	}
	return r
}()

// fitScale4 chooses the scale s and levels q[i] in [-8, 7] that make q[i]*s
// close to x[i] in squared error, and writes q. Rounding to the nearest
// level with the max-abs scale is the start of the search, not the answer:
// an outlier stretches the steps for every other value. For each ratio in
// clipRatios it rounds x with the scale that maps ratio·(the value of
// largest magnitude) onto -8, and once with max-abs scaling onto ±7, then
// takes the least-squares scale for those levels, Σx·q/Σq²; the pair with
// the smallest error wins. An all-zero x gets scale 0 and zero levels.
func fitScale4(x []float32, q []int8) float32 {
	const lo, hi = -8, 7
	var peak float32 // the value of largest magnitude, with its sign
	for _, v := range x {
		if abs32(v) > abs32(peak) {
			peak = v
		}
	}
	if peak == 0 {
		clear(q)
		return 0
	}
	// float64 throughout: 1/scale of a subnormal group overflows float32.
	var best float64
	bestGain := -1.0
	for i := range len(clipRatios) + 1 {
		// The last candidate is plain max-abs scaling on the symmetric
		// range, so the fit is never worse than that.
		s := math.Abs(float64(peak)) / hi
		if i < len(clipRatios) {
			s = float64(peak) / lo * float64(clipRatios[i])
		}
		inv := 1 / s
		// The error of levels q at their least-squares scale is
		// Σx² - (Σx·q)²/Σq², so the best levels maximise (Σx·q)²/Σq².
		var xq, qq float64
		for _, v := range x {
			n := roundClamp(float64(v)*inv, lo, hi)
			xq += float64(v) * n
			qq += n * n
		}
		if gain := xq * xq / qq; qq > 0 && gain > bestGain {
			bestGain, best = gain, xq/qq
		}
	}
	scale := float32(best)
	if scale == 0 { // the group is below float32 resolution
		clear(q)
		return 0
	}
	// Round again with the refitted scale: the nearest level for each value
	// never has a larger error than the level chosen before the refit.
	inv := 1 / float64(scale)
	for i, v := range x {
		q[i] = int8(roundClamp(float64(v)*inv, lo, hi))
	}
	return scale
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// roundClamp rounds v to the nearest integer (ties to even) in [lo, hi].
func roundClamp(v float64, lo, hi float64) float64 {
	return max(lo, min(hi, math.RoundToEven(v)))
}
