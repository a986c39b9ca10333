package kernel

import "math"

// LayerNorm is the fast LayerNormRef: each of rows rows of width n in x
// becomes (x-mean)/sqrt(var+eps)·gamma + beta, biased variance. Sums are
// accumulated in float32 over several lanes, two passes (mean, then squared
// deviations) so large offsets do not cancel.
func LayerNorm(x []float32, rows, n int, gamma, beta []float32, eps float32) {
	for r := 0; r < rows; r++ {
		layerNormRow(x[r*n:(r+1)*n], gamma, beta, eps)
	}
}

// AddLayerNorm sets x = LayerNorm(x + residual) row by row; see
// AddLayerNormRef. residual is left unchanged.
func AddLayerNorm(x, residual []float32, rows, n int, gamma, beta []float32, eps float32) {
	for r := 0; r < rows; r++ {
		v := x[r*n : (r+1)*n]
		addTo(v, residual[r*n:(r+1)*n])
		layerNormRow(v, gamma, beta, eps)
	}
}

func layerNormRow(v, gamma, beta []float32, eps float32) {
	n := float32(len(v))
	mean := sum(v) / n
	variance := sumSqDev(v, mean) / n
	inv := float32(1 / math.Sqrt(float64(variance)+float64(eps)))
	normalize(v, mean, inv, gamma, beta)
}
