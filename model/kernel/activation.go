//go:build !(goexperiment.simd && wasm)

package kernel

// GELU applies the exact (erf) GELU in place, as HF's "gelu" does, with a
// float32 erf whose error against GELURef is measured by the tests.
func GELU(x []float32) {
	for i, v := range x {
		x[i] = gelu32(v)
	}
}

// Softmax replaces x with softmax(x), subtracting the max first for
// stability. An empty x is left alone.
func Softmax(x []float32) {
	if len(x) == 0 {
		return
	}
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	var s float32
	for i, v := range x {
		e := expNeg32(v - m)
		x[i] = e
		s += e
	}
	Scale(1/s, x)
}
