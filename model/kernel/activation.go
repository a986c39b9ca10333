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
func Softmax(x []float32) { softmaxGo(x) }

// softmaxAdd is Softmax of x + mask (mask nil: x), leaving it in x.
func softmaxAdd(x, mask []float32) {
	if mask != nil {
		addTo(x, mask)
	}
	softmaxGo(x)
}
