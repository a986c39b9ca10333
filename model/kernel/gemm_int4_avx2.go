//go:build goexperiment.simd && amd64

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// gemm4x8I4 is gemm4x8I16's loop over nibbles. Two pairs (16 bytes) at a
// time are sign-extended to int16 and split into their low nibbles (shift
// left and right by 12) and high ones (right by 4); the 128-bit halves of
// the two then regroup into each pair's 16 weights, as VPMADDWD wants
// them. Each group's int32 sums are scaled and added up in f32, multiply
// then add, as gemm4x8I4Go does.
func gemm4x8I4(c *[4 * panelWidth]float32, x []int16, ldx int, q []byte, gs []float32, group int, rs *[4]float32) {
	if !useAVX2 {
		gemm4x8I4Go(c, x, ldx, q, gs, ldx, group, rs)
		return
	}
	in := ldx
	if in <= 0 || group <= 0 || group%4 != 0 || in%group != 0 {
		panic("kernel: gemm4x8I4: bad shape")
	}
	_, _, _ = x[3*ldx+in-1], q[panelWidth/2*in-1], gs[in/group*panelWidth-1]
	p0 := unsafe.Pointer(unsafe.SliceData(x))
	p1, p2, p3 := unsafe.Add(p0, 2*ldx), unsafe.Add(p0, 4*ldx), unsafe.Add(p0, 6*ldx)
	pq, pg := unsafe.Pointer(unsafe.SliceData(q)), unsafe.Pointer(unsafe.SliceData(gs))
	var f0, f1, f2, f3 archsimd.Float32x8
	for g0 := 0; g0 < in; g0 += group {
		var a0, a1, a2, a3 archsimd.Int32x8
		for k := g0; k < g0+group; k += 4 {
			v := archsimd.LoadInt8x16Array((*[16]int8)(unsafe.Add(pq, k*panelWidth/2))).ExtendToInt16()
			lo, hi := v.ShiftAllLeft(12).ShiftAllRight(12), v.ShiftAllRight(4)
			w := lo.SetHi(hi.GetLo())
			a0 = a0.Add(pair8(p0, k).DotProductPairs(w))
			a1 = a1.Add(pair8(p1, k).DotProductPairs(w))
			a2 = a2.Add(pair8(p2, k).DotProductPairs(w))
			a3 = a3.Add(pair8(p3, k).DotProductPairs(w))
			w = hi.SetLo(lo.GetHi())
			a0 = a0.Add(pair8(p0, k+2).DotProductPairs(w))
			a1 = a1.Add(pair8(p1, k+2).DotProductPairs(w))
			a2 = a2.Add(pair8(p2, k+2).DotProductPairs(w))
			a3 = a3.Add(pair8(p3, k+2).DotProductPairs(w))
		}
		s := load8(pg, g0/group*panelWidth)
		f0 = f0.Add(a0.ConvertToFloat32().Mul(s))
		f1 = f1.Add(a1.ConvertToFloat32().Mul(s))
		f2 = f2.Add(a2.ConvertToFloat32().Mul(s))
		f3 = f3.Add(a3.ConvertToFloat32().Mul(s))
	}
	store8(f0.Mul(archsimd.BroadcastFloat32x8(rs[0])), c[0:8])
	store8(f1.Mul(archsimd.BroadcastFloat32x8(rs[1])), c[8:16])
	store8(f2.Mul(archsimd.BroadcastFloat32x8(rs[2])), c[16:24])
	store8(f3.Mul(archsimd.BroadcastFloat32x8(rs[3])), c[24:32])
}
