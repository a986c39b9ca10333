//go:build goexperiment.simd && wasm

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// gemm4x8F32 sets c[r·8+j] = Σ_k x[r·ldx+k]·panel[k·8+j] for k < in and 4
// rows of x, ldx apart:
// eight Float32x4 accumulators (4 rows × 2 vectors of columns), each row
// value broadcast once per k, k unrolled by two. Eight accumulators, two
// weight vectors and the broadcast fit the 16 vector registers the Go wasm
// backend allocates without spilling.
func gemm4x8F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	_, _ = x[3*ldx+in-1], panel[panelWidth*in-1]
	px, pw := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(panel))
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x4
	k := 0
	for ; k+2 <= in; k += 2 {
		w0, w1 := loadF32(pw, k*8), loadF32(pw, k*8+4)
		a := archsimd.BroadcastFloat32x4(scalarF32(px, k))
		c00, c01 = c00.Add(a.Mul(w0)), c01.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, ldx+k))
		c10, c11 = c10.Add(a.Mul(w0)), c11.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, 2*ldx+k))
		c20, c21 = c20.Add(a.Mul(w0)), c21.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, 3*ldx+k))
		c30, c31 = c30.Add(a.Mul(w0)), c31.Add(a.Mul(w1))
		// k+1 reuses w0, w1: two weight vectors live next to the eight
		// accumulators, not four, keeps everything in registers.
		w0, w1 = loadF32(pw, k*8+8), loadF32(pw, k*8+12)
		a = archsimd.BroadcastFloat32x4(scalarF32(px, k+1))
		c00, c01 = c00.Add(a.Mul(w0)), c01.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, ldx+k+1))
		c10, c11 = c10.Add(a.Mul(w0)), c11.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, 2*ldx+k+1))
		c20, c21 = c20.Add(a.Mul(w0)), c21.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, 3*ldx+k+1))
		c30, c31 = c30.Add(a.Mul(w0)), c31.Add(a.Mul(w1))
	}
	if k < in {
		w0, w1 := loadF32(pw, k*8), loadF32(pw, k*8+4)
		a := archsimd.BroadcastFloat32x4(scalarF32(px, k))
		c00, c01 = c00.Add(a.Mul(w0)), c01.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, ldx+k))
		c10, c11 = c10.Add(a.Mul(w0)), c11.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, 2*ldx+k))
		c20, c21 = c20.Add(a.Mul(w0)), c21.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, 3*ldx+k))
		c30, c31 = c30.Add(a.Mul(w0)), c31.Add(a.Mul(w1))
	}
	pc := unsafe.Pointer(c)
	storeF32(c00, pc, 0)
	storeF32(c01, pc, 4)
	storeF32(c10, pc, 8)
	storeF32(c11, pc, 12)
	storeF32(c20, pc, 16)
	storeF32(c21, pc, 20)
	storeF32(c30, pc, 24)
	storeF32(c31, pc, 28)
}

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
