//go:build goexperiment.simd && wasm

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// gemm4x8F32 sets c[r·8+j] = Σ_k x[r·ldx+k]·panel[k·8+j] for k < in and 4
// rows of x, ldx apart:
// eight Float32x4 accumulators (4 rows × 2 vectors of columns), each row
// value broadcast once per k, k unrolled by two.
//
// Go's wasm backend computes every load address as a 64-bit add and an
// i32.wrap, and never uses the load's offset immediate, so V8 spends two
// x86 instructions per load on the address. Byte offsets that advance by a
// constant, added to one base pointer per row, keep that to the minimum: the
// k·8·4 and ldx multiplies of an index form cost ~15% (measured).
func gemm4x8F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	_, _ = x[3*ldx+in-1], panel[panelWidth*in-1]
	p0 := unsafe.Pointer(unsafe.SliceData(x))
	p1, p2, p3 := unsafe.Add(p0, 4*ldx), unsafe.Add(p0, 8*ldx), unsafe.Add(p0, 12*ldx)
	pw := unsafe.Pointer(unsafe.SliceData(panel))
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x4
	// kx walks x in bytes (4 per k), kw the panel (32 per k).
	kx, kw := 0, 0
	for end := (in &^ 1) * 4; kx < end; kx, kw = kx+8, kw+64 {
		w0, w1 := loadAt(pw, kw), loadAt(pw, kw+16)
		a := broadcastAt(p0, kx)
		c00, c01 = c00.Add(a.Mul(w0)), c01.Add(a.Mul(w1))
		a = broadcastAt(p1, kx)
		c10, c11 = c10.Add(a.Mul(w0)), c11.Add(a.Mul(w1))
		a = broadcastAt(p2, kx)
		c20, c21 = c20.Add(a.Mul(w0)), c21.Add(a.Mul(w1))
		a = broadcastAt(p3, kx)
		c30, c31 = c30.Add(a.Mul(w0)), c31.Add(a.Mul(w1))
		// k+1 reuses w0, w1: two weight vectors live next to the eight
		// accumulators, not four.
		w0, w1 = loadAt(pw, kw+32), loadAt(pw, kw+48)
		a = broadcastAt(p0, kx+4)
		c00, c01 = c00.Add(a.Mul(w0)), c01.Add(a.Mul(w1))
		a = broadcastAt(p1, kx+4)
		c10, c11 = c10.Add(a.Mul(w0)), c11.Add(a.Mul(w1))
		a = broadcastAt(p2, kx+4)
		c20, c21 = c20.Add(a.Mul(w0)), c21.Add(a.Mul(w1))
		a = broadcastAt(p3, kx+4)
		c30, c31 = c30.Add(a.Mul(w0)), c31.Add(a.Mul(w1))
	}
	if in%2 != 0 {
		w0, w1 := loadAt(pw, kw), loadAt(pw, kw+16)
		a := broadcastAt(p0, kx)
		c00, c01 = c00.Add(a.Mul(w0)), c01.Add(a.Mul(w1))
		a = broadcastAt(p1, kx)
		c10, c11 = c10.Add(a.Mul(w0)), c11.Add(a.Mul(w1))
		a = broadcastAt(p2, kx)
		c20, c21 = c20.Add(a.Mul(w0)), c21.Add(a.Mul(w1))
		a = broadcastAt(p3, kx)
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
