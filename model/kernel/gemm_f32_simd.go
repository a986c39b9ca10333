//go:build goexperiment.simd && wasm

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// gemm4x8F32 sets c[r·8+j] = Σ_k x[r·ldx+k]·panel[k·8+j] for k < in and 4
// rows of x, ldx apart: eight Float32x4 accumulators (4 rows × 2 vectors of
// columns), each row value broadcast once per k, summed in k order. The
// pairs of k run in assembly (gemm_f32_wasm.s); an odd last k here, as one
// more multiply and add, so the sums round exactly as in one loop.
func gemm4x8F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	gemm4x8F32Panels(c[:], panelWidth, x, ldx, panel, in, 1)
}

// gemm4x8F32Panels runs gemm4x8F32 on panels consecutive panels of in k
// each, storing panel p's tile at column 8p of c, whose 4 rows are ldc
// apart.
func gemm4x8F32Panels(c []float32, ldc int, x []float32, ldx int, panel []float32, in, panels int) {
	_, _, _ = c[3*ldc+panels*panelWidth-1], x[3*ldx+in-1], panel[panels*panelWidth*in-1]
	gemm4x8F32Asm(unsafe.SliceData(c), 4*ldc, unsafe.SliceData(x), 4*ldx, unsafe.SliceData(panel), in, panels)
	if in%2 == 0 {
		return
	}
	k := in - 1
	for p := 0; p < panels; p++ {
		w := panel[(p*in+k)*panelWidth : (p*in+k+1)*panelWidth]
		for r := 0; r < 4; r++ {
			a := x[r*ldx+k]
			cr := c[r*ldc+p*panelWidth : r*ldc+(p+1)*panelWidth]
			for j, v := range w {
				cr[j] += a * v
			}
		}
	}
}

// gemm4x8F32Asm: c points at row 0 of 4 result rows ldcBytes apart, x at
// row 0 of 4 rows ldxBytes apart, panel at the first of panels panels of
// in k each.
//
//go:noescape
func gemm4x8F32Asm(c *float32, ldcBytes int, x *float32, ldxBytes int, panel *float32, in, panels int)

// gemm1x8F32 is gemm4x8F32 for a single row.
func gemm1x8F32(c *[panelWidth]float32, x, panel []float32, in int) {
	_, _ = x[in-1], panel[panelWidth*in-1]
	px, pw := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(panel))
	var c0, c1 archsimd.Float32x4
	for k := 0; k < in; k++ {
		a := archsimd.BroadcastFloat32x4(scalarF32(px, k))
		c0 = c0.Add(a.Mul(loadF32(pw, k*8)))
		c1 = c1.Add(a.Mul(loadF32(pw, k*8+4)))
	}
	pc := unsafe.Pointer(c)
	storeF32(c0, pc, 0)
	storeF32(c1, pc, 4)
}
