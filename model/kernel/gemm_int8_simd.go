//go:build goexperiment.simd && wasm

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// loadInt8Pair loads the int8 weights of k and k+1 (16 bytes of the panel)
// and widens them to four Float32x4: columns 0-3 and 4-7 of k, then of k+1.
func loadInt8Pair(p unsafe.Pointer) (w0, w1, w2, w3 archsimd.Float32x4) {
	q := archsimd.LoadInt8x16Array((*[16]int8)(p))
	lo, hi := q.ExtendLo8ToInt16(), q.ExtendHi8ToInt16()
	w0 = lo.ExtendLo4ToInt32().ConvertToFloat32()
	w1 = lo.ExtendHi4ToInt32().ConvertToFloat32()
	w2 = hi.ExtendLo4ToInt32().ConvertToFloat32()
	w3 = hi.ExtendHi4ToInt32().ConvertToFloat32()
	return
}

// lastInt8 widens the weights of the last k of an odd-length panel through
// a copy, since a 16-byte load there would read past the panel.
func lastInt8(q []int8) (w0, w1 archsimd.Float32x4) {
	var buf [16]int8
	copy(buf[:], q)
	w0, w1, _, _ = loadInt8Pair(unsafe.Pointer(&buf))
	return
}

// gemm4x8Int8 sets c[r·8+j] = Σ_k x[r·in+k]·q[k·8+j] for 4 rows of x, the
// int8 weights widened to f32 as they are loaded; the row scale is applied by
// the caller. Same register blocking and byte-offset addressing as
// gemm4x8F32.
func gemm4x8Int8(c *[4 * panelWidth]float32, x []float32, q []int8, in int) {
	_, _ = x[4*in-1], q[panelWidth*in-1]
	p0 := unsafe.Pointer(unsafe.SliceData(x))
	p1, p2, p3 := unsafe.Add(p0, 4*in), unsafe.Add(p0, 8*in), unsafe.Add(p0, 12*in)
	pq := unsafe.Pointer(unsafe.SliceData(q))
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x4
	// kx walks x in bytes (4 per k), kq the panel (8 per k).
	kx, kq := 0, 0
	for end := (in &^ 1) * 4; kx < end; kx, kq = kx+8, kq+16 {
		// Widen k's half first and k+1's after it, so at most two weight
		// vectors are live next to the eight accumulators.
		q := archsimd.LoadInt8x16Array((*[16]int8)(unsafe.Add(pq, kq)))
		lo := q.ExtendLo8ToInt16()
		w0, w1 := lo.ExtendLo4ToInt32().ConvertToFloat32(), lo.ExtendHi4ToInt32().ConvertToFloat32()
		a := broadcastAt(p0, kx)
		c00, c01 = c00.Add(a.Mul(w0)), c01.Add(a.Mul(w1))
		a = broadcastAt(p1, kx)
		c10, c11 = c10.Add(a.Mul(w0)), c11.Add(a.Mul(w1))
		a = broadcastAt(p2, kx)
		c20, c21 = c20.Add(a.Mul(w0)), c21.Add(a.Mul(w1))
		a = broadcastAt(p3, kx)
		c30, c31 = c30.Add(a.Mul(w0)), c31.Add(a.Mul(w1))
		hi := q.ExtendHi8ToInt16()
		w0, w1 = hi.ExtendLo4ToInt32().ConvertToFloat32(), hi.ExtendHi4ToInt32().ConvertToFloat32()
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
		w0, w1 := lastInt8(q[kq:])
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

// gemm1x8Int8 is gemm4x8Int8 for a single row.
func gemm1x8Int8(c *[panelWidth]float32, x []float32, q []int8, in int) {
	_, _ = x[in-1], q[panelWidth*in-1]
	px, pq := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(q))
	var c0, c1 archsimd.Float32x4
	k := 0
	for ; k+2 <= in; k += 2 {
		w0, w1, w2, w3 := loadInt8Pair(unsafe.Add(pq, k*8))
		a := archsimd.BroadcastFloat32x4(scalarF32(px, k))
		c0, c1 = c0.Add(a.Mul(w0)), c1.Add(a.Mul(w1))
		a = archsimd.BroadcastFloat32x4(scalarF32(px, k+1))
		c0, c1 = c0.Add(a.Mul(w2)), c1.Add(a.Mul(w3))
	}
	if k < in {
		w0, w1 := lastInt8(q[k*8:])
		a := archsimd.BroadcastFloat32x4(scalarF32(px, k))
		c0, c1 = c0.Add(a.Mul(w0)), c1.Add(a.Mul(w1))
	}
	pc := unsafe.Pointer(c)
	storeF32(c0, pc, 0)
	storeF32(c1, pc, 4)
}
