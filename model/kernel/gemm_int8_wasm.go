//go:build goexperiment.simd

package kernel

import "unsafe"

// gemm4x8I16 is gemm4x8I16Go in wasm assembly (gemm_int8_wasm.s):
// simd/archsimd has no i32x4.dot_i16x8_s on wasm, and the dot is the point,
// 8 multiply-adds per instruction against 4 per two for f32.
func gemm4x8I16(c *[4 * panelWidth]float32, x []int16, ldx int, q []int8, rs *[4]float32) {
	in := ldx
	// The assembly reads 4 rows of in from x and the whole panel, two
	// pairs per step: check once here, as the archsimd kernels do.
	if in <= 0 || in%4 != 0 || len(x) < 3*ldx+in || len(q) < panelWidth*in {
		panic("kernel: gemm4x8I16: short operands")
	}
	gemm4x8I16Asm(c, unsafe.SliceData(x), 2*ldx, unsafe.SliceData(q), in/4, rs)
}

// gemm4x8I16Asm: x points at row 0 of 4 rows ldxBytes apart, q at the panel;
// steps is the number of 4-k steps.
//
//go:noescape
func gemm4x8I16Asm(c *[4 * panelWidth]float32, x *int16, ldxBytes int, q *int8, steps int, rs *[4]float32)
