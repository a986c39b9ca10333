package kernel

// DotRef returns Σ a[i]·b[i] over len(a) elements, accumulated in float64.
func DotRef(a, b []float32) float32 {
	var s float64
	for i, v := range a {
		s += float64(v) * float64(b[i])
	}
	return float32(s)
}

// AxpyRef sets y[i] += alpha·x[i] over len(x) elements.
func AxpyRef(alpha float32, x, y []float32) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

// ScaleRef sets x[i] *= alpha.
func ScaleRef(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}
