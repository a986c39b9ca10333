//go:build goexperiment.simd

package kernel

import "unsafe"

// gemm4x8I4 is gemm4x8I4Go in wasm assembly (gemm_int4_wasm.s), for
// i32x4.dot_i16x8_s as gemm4x8I16.
func gemm4x8I4(c *[4 * panelWidth]float32, x []int16, ldx int, q []byte, gs []float32, group int, rs *[4]float32) {
	in := ldx
	// The assembly reads 4 rows of in from x, the whole panel and its
	// group scales: check once here.
	if in <= 0 || group <= 0 || group%4 != 0 || in%group != 0 ||
		len(x) < 3*ldx+in || len(q) < panelWidth/2*in || len(gs) < in/group*panelWidth {
		panic("kernel: gemm4x8I4: short operands")
	}
	gemm4x8I4Asm(c, unsafe.SliceData(x), 2*ldx, unsafe.SliceData(q), unsafe.SliceData(gs), in/group, group/4, rs)
}

// gemm4x8I4Asm: x points at row 0 of 4 rows ldxBytes apart, q at the
// panel, gs at its group scales; groups groups of groupSteps 4-k steps.
//
//go:noescape
func gemm4x8I4Asm(c *[4 * panelWidth]float32, x *int16, ldxBytes int, q *byte, gs *float32, groups, groupSteps int, rs *[4]float32)
