//go:build !(goexperiment.simd && wasm)

package kernel

// gemm4x8F32Panels runs gemm4x8F32 on panels consecutive panels of in k
// each, storing panel p's tile at column 8p of c, whose 4 rows are ldc
// apart. Only the wasm kernel stores strided itself; here each tile is
// copied out.
func gemm4x8F32Panels(c []float32, ldc int, x []float32, ldx int, panel []float32, in, panels int) {
	var tile [4 * panelWidth]float32
	for p := 0; p < panels; p++ {
		gemm4x8F32(&tile, x, ldx, panel[p*panelWidth*in:(p+1)*panelWidth*in], in)
		for r := 0; r < 4; r++ {
			*(*[panelWidth]float32)(c[r*ldc+p*panelWidth:]) = *(*[panelWidth]float32)(tile[r*panelWidth:])
		}
	}
}
