//go:build goexperiment.simd

package kernel

import "unsafe"

// gemm4x8I16 is gemm4x8I16Go in wasm assembly (gemm_int8_wasm.s):
// simd/archsimd has no i32x4.dot_i16x8_s on wasm, and the dot is the point,
// 8 multiply-adds per instruction against 4 per two for f32.
func gemm4x8I16(c *[4 * panelWidth]float32, x []int16, ldx int, q []int8, rs *[4]float32) {
	in := ldx
	// The assembly reads 4 rows of in from x and the whole panel, a pair
	// per step: check once here, as the archsimd kernels do.
	if in <= 0 || in%2 != 0 || len(x) < 3*ldx+in || len(q) < panelWidth*in {
		panic("kernel: gemm4x8I16: short operands")
	}
	gemm4x8I16Asm(c, unsafe.SliceData(x), 2*ldx, unsafe.SliceData(q), in/2, rs)
}

// widenMinTiles is the fewest 4-row tiles for which gemmTilesI16 widens the
// panel to int16 first. Widening costs a fraction of a tile's GEMM (in/8
// steps of a load and a store against in/2 of the kernel's), and the int16
// kernel saves about a tenth of each tile (a vpmovsxbw is an ALU uop, a
// plain load is not: 66 → 72 GFLOP/cpu-s, kernel alone). At 16 rows, 4
// tiles, widening measured 1–2% faster at every MiniLM shape (median of 3,
// side by side with a threshold of 8).
const widenMinTiles = 4

// gemmTilesI16 runs gemm4x8I16 on tiles 4-row tiles of x (row stride ldx,
// tile t from row 4t), writing tile t to c[32t:32t+32] with row scales
// rs[4t:4t+4]. With enough tiles it first widens the panel q into wide
// (len ≥ 8·ldx), so that the kernel loads its weights instead of widening
// them every tile.
func gemmTilesI16(c []float32, x []int16, ldx int, q []int8, rs []float32, tiles int, wide []int16) {
	in := ldx
	if tiles <= 0 || in <= 0 || in%2 != 0 || len(c) < tiles*4*panelWidth || len(x) < (4*tiles-1)*ldx+in ||
		len(q) < panelWidth*in || len(rs) < 4*tiles {
		panic("kernel: gemmTilesI16: short operands")
	}
	if tiles < widenMinTiles || len(wide) < panelWidth*in {
		gemmTilesI16Each(c, x, ldx, q, rs, tiles)
		return
	}
	widenAsm(unsafe.SliceData(wide), unsafe.SliceData(q), panelWidth*in)
	pw := unsafe.SliceData(wide)
	for t := 0; t < tiles; t++ {
		gemm4x8W16Asm((*[4 * panelWidth]float32)(c[4*panelWidth*t:]), &x[4*t*ldx], 2*ldx, pw, in/2, (*[4]float32)(rs[4*t:]))
	}
}

// gemm4x8I16Asm: x points at row 0 of 4 rows ldxBytes apart, q at the panel;
// pairs is the number of k pairs.
//
//go:noescape
func gemm4x8I16Asm(c *[4 * panelWidth]float32, x *int16, ldxBytes int, q *int8, pairs int, rs *[4]float32)

// gemm4x8W16Asm is gemm4x8I16Asm on a panel already widened to int16.
//
//go:noescape
func gemm4x8W16Asm(c *[4 * panelWidth]float32, x *int16, ldxBytes int, q *int16, pairs int, rs *[4]float32)

// widenAsm sets dst[i] = src[i] for i < n, n a positive multiple of 16.
//
//go:noescape
func widenAsm(dst *int16, src *int8, n int)
