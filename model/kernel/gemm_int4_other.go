//go:build !(goexperiment.simd && wasm)

package kernel

// Outside wasm SIMD the int4 micro-kernel is the portable Go one: natively
// int4 models are a wasm download size choice, not a speed one.

func gemm4x8I4(c *[4 * panelWidth]float32, x []int16, ldx int, q []byte, gs []float32, group int, rs *[4]float32) {
	gemm4x8I4Go(c, x, ldx, q, gs, ldx, group, rs)
}
