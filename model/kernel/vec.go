//go:build !(goexperiment.simd && wasm)

package kernel

// Dot returns Σ a[i]·b[i] over len(a) elements; b must be at least as long.
func Dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Axpy sets y[i] += alpha·x[i] over len(x) elements; y must be at least as
// long.
func Axpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// Scale sets x[i] *= alpha.
func Scale(alpha float32, x []float32) { scaleGo(alpha, x) }

// sum returns Σ x[i].
func sum(x []float32) float32 { return sumGo(x) }

// sumSqDev returns Σ (x[i]-mean)².
func sumSqDev(x []float32, mean float32) float32 { return sumSqDevGo(x, mean) }

// normalize sets x[i] = (x[i]-mean)·inv·gamma[i] + beta[i].
func normalize(x []float32, mean, inv float32, gamma, beta []float32) {
	gamma, beta = gamma[:len(x)], beta[:len(x)]
	for i, v := range x {
		x[i] = (v-mean)*inv*gamma[i] + beta[i]
	}
}

// addTo sets x[i] += y[i].
func addTo(x, y []float32) {
	y = y[:len(x)]
	for i := range x {
		x[i] += y[i]
	}
}
