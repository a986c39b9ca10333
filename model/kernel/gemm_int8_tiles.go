//go:build !(goexperiment.simd && wasm)

package kernel

// gemmTilesI16 runs gemm4x8I16 on tiles 4-row tiles of x (row stride ldx,
// tile t from row 4t), writing tile t to c[32t:32t+32] with row scales
// rs[4t:4t+4]. Only the wasm kernel uses wide (see gemm_int8_wasm.go): the
// AVX2 one widens a pair's 16 weights in one instruction either way.
func gemmTilesI16(c []float32, x []int16, ldx int, q []int8, rs []float32, tiles int, _ []int16) {
	gemmTilesI16Each(c, x, ldx, q, rs, tiles)
}
