//go:build !(goexperiment.simd && (wasm || amd64))

package kernel

// Without SIMD the int4 micro-kernel is the portable Go one.

func gemm4x8I4(c *[4 * panelWidth]float32, x []int16, ldx int, q []byte, gs []float32, group int, rs *[4]float32) {
	gemm4x8I4Go(c, x, ldx, q, gs, ldx, group, rs)
}
