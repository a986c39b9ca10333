package kernel

import "math"

// LayerNormRef normalizes each of rows rows of width n in x in place:
// x = (x-mean)/sqrt(var+eps)·gamma + beta, with the biased variance as
// PyTorch's LayerNorm uses.
func LayerNormRef(x []float32, rows, n int, gamma, beta []float32, eps float32) {
	for r := 0; r < rows; r++ {
		v := x[r*n : (r+1)*n]
		var mean float64
		for _, e := range v {
			mean += float64(e)
		}
		mean /= float64(n)
		var variance float64
		for _, e := range v {
			d := float64(e) - mean
			variance += d * d
		}
		variance /= float64(n)
		inv := 1 / math.Sqrt(variance+float64(eps))
		for i, e := range v {
			v[i] = float32((float64(e)-mean)*inv)*gamma[i] + beta[i]
		}
	}
}

// GELURef applies the exact (erf) GELU in place, as HF's "gelu" does.
func GELURef(x []float32) {
	for i, v := range x {
		x[i] = float32(0.5 * float64(v) * (1 + math.Erf(float64(v)/math.Sqrt2)))
	}
}

// SoftmaxRef replaces x with softmax(x), subtracting the max first for
// stability.
func SoftmaxRef(x []float32) {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v > m {
			m = v
		}
	}
	var s float64
	for i, v := range x {
		e := math.Exp(float64(v - m))
		x[i] = float32(e)
		s += e
	}
	inv := float32(1 / s)
	for i := range x {
		x[i] *= inv
	}
}

// AddLayerNormRef sets x = LayerNorm(x + residual) row by row, the
// residual connection that closes every BERT sub-layer.
func AddLayerNormRef(x, residual []float32, rows, n int, gamma, beta []float32, eps float32) {
	for i := range x[:rows*n] {
		x[i] += residual[i]
	}
	LayerNormRef(x, rows, n, gamma, beta, eps)
}
