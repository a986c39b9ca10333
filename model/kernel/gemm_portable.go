//go:build !(goexperiment.simd && (wasm || amd64))

package kernel

// Without SIMD the micro-kernels are the portable Go ones.

func gemm4x8F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	gemm4x8F32Go(c, x, ldx, panel, in)
}

func gemm1x8F32(c *[panelWidth]float32, x, panel []float32, in int) {
	gemm1x8F32Go(c, x, panel, in)
}

func gemm4x8Int8(c *[4 * panelWidth]float32, x []float32, q []int8, in int) {
	gemm4x8Int8Go(c, x, q, in)
}

func gemm1x8Int8(c *[panelWidth]float32, x []float32, q []int8, in int) {
	gemm1x8Int8Go(c, x, q, in)
}
