//go:build !(goexperiment.simd && (wasm || amd64)) && !wasmbert_sim7

package kernel

// Without SIMD the micro-kernels are the portable Go ones.

func gemm4x8F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	gemm4x8F32Go(c, x, ldx, panel, in)
}

func gemm1x8F32(c *[panelWidth]float32, x, panel []float32, in int) {
	gemm1x8F32Go(c, x, panel, in)
}

func gemm4x8I16(c *[4 * panelWidth]float32, x []int16, ldx int, q []int8, rs *[4]float32) {
	gemm4x8I16Go(c, x, ldx, q, ldx, rs)
}

func quantizeRows(xq []int16, scale []float32, x []float32, rows, in, ldq int, limit int32) {
	quantizeRowsRef(xq, scale, x, rows, in, ldq, limit)
}
