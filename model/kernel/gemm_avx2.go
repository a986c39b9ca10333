//go:build goexperiment.simd && amd64

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// useAVX2 selects the AVX2+FMA micro-kernels. It is fixed at start-up by
// the CPU; machines without them run the portable Go kernels.
var useAVX2 = archsimd.X86.AVX2() && archsimd.X86.FMA()

// The AVX2 kernels hold a whole 8-column panel row in one Float32x8: four
// accumulators for four rows, k unrolled by two. Separate accumulators for
// even and odd k (eight chains, enough to hide the FMA latency) measured
// slower: Go's scheduler puts the FMAs that feed the loop's phis at the end
// of the block, so all eight broadcasts of x stay live until then and three
// accumulators spill to the stack each iteration (28 vs 38 GFLOP/cpu-s at
// 128×384×1536). Chaining k and k+1 on the same accumulator gives the first
// FMA an in-block use, so it issues as soon as its operands are loaded.
// The kernels multiply, then add (two roundings), not FMA: the wasm and
// portable kernels have no FMA, and a native build that rounded once per
// step gave vectors ~6e-5 away from the browser's (cmd/edgeworker's
// TestWorkerd holds the worker to the native engine within 1e-5). That
// costs about a fifth of native f32 GEMM throughput.

func gemm4x8F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	if !useAVX2 {
		gemm4x8F32Go(c, x, ldx, panel, in)
		return
	}
	_, _ = x[3*ldx+in-1], panel[panelWidth*in-1]
	p0 := unsafe.Pointer(unsafe.SliceData(x))
	p1, p2, p3 := unsafe.Add(p0, 4*ldx), unsafe.Add(p0, 8*ldx), unsafe.Add(p0, 12*ldx)
	pw := unsafe.Pointer(unsafe.SliceData(panel))
	var a0, a1, a2, a3 archsimd.Float32x8
	k := 0
	for ; k+2 <= in; k += 2 {
		w := load8(pw, k*panelWidth)
		a0 = a0.Add(bcast8(p0, k).Mul(w))
		a1 = a1.Add(bcast8(p1, k).Mul(w))
		a2 = a2.Add(bcast8(p2, k).Mul(w))
		a3 = a3.Add(bcast8(p3, k).Mul(w))
		w = load8(pw, (k+1)*panelWidth)
		a0 = a0.Add(bcast8(p0, k+1).Mul(w))
		a1 = a1.Add(bcast8(p1, k+1).Mul(w))
		a2 = a2.Add(bcast8(p2, k+1).Mul(w))
		a3 = a3.Add(bcast8(p3, k+1).Mul(w))
	}
	if k < in {
		w := load8(pw, k*panelWidth)
		a0 = a0.Add(bcast8(p0, k).Mul(w))
		a1 = a1.Add(bcast8(p1, k).Mul(w))
		a2 = a2.Add(bcast8(p2, k).Mul(w))
		a3 = a3.Add(bcast8(p3, k).Mul(w))
	}
	store8(a0, c[0:8])
	store8(a1, c[8:16])
	store8(a2, c[16:24])
	store8(a3, c[24:32])
}

// gemm1x8F32 is one row of gemm4x8F32, rounded the same: one chain in
// k order. Four chains summed at the end ran faster, but then a row's
// result depended on whether it fell in a 4-row tile or in the tail, that
// is on the rows around it, and attention's tail is the padded length of
// the batch.
func gemm1x8F32(c *[panelWidth]float32, x, panel []float32, in int) {
	if !useAVX2 {
		gemm1x8F32Go(c, x, panel, in)
		return
	}
	_, _ = x[in-1], panel[panelWidth*in-1]
	px, pw := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(panel))
	var a archsimd.Float32x8
	for k := 0; k < in; k++ {
		a = a.Add(bcast8(px, k).Mul(load8(pw, k*panelWidth)))
	}
	store8(a, c[:])
}

// gemm4x8I16 widens each pair's 16 int8 weights to one Int16x16 (the whole
// panel row, columns interleaved with k and k+1 as VPMADDWD wants them) and
// multiplies it by the broadcast (x[k], x[k+1]) of each row: one VPMADDWD
// and one VPADDD per row and pair, 16 multiply-adds.
func gemm4x8I16(c *[4 * panelWidth]float32, x []int16, ldx int, q []int8, rs *[4]float32) {
	if !useAVX2 {
		gemm4x8I16Go(c, x, ldx, q, ldx, rs)
		return
	}
	in := ldx
	_, _ = x[3*ldx+in-1], q[panelWidth*in-1]
	p0 := unsafe.Pointer(unsafe.SliceData(x))
	p1, p2, p3 := unsafe.Add(p0, 2*ldx), unsafe.Add(p0, 4*ldx), unsafe.Add(p0, 6*ldx)
	pq := unsafe.Pointer(unsafe.SliceData(q))
	var a0, a1, a2, a3 archsimd.Int32x8
	for k := 0; k < in; k += 2 {
		w := archsimd.LoadInt8x16Array((*[16]int8)(unsafe.Add(pq, k*panelWidth))).ExtendToInt16()
		a0 = a0.Add(pair8(p0, k).DotProductPairs(w))
		a1 = a1.Add(pair8(p1, k).DotProductPairs(w))
		a2 = a2.Add(pair8(p2, k).DotProductPairs(w))
		a3 = a3.Add(pair8(p3, k).DotProductPairs(w))
	}
	store8(a0.ConvertToFloat32().Mul(archsimd.BroadcastFloat32x8(rs[0])), c[0:8])
	store8(a1.ConvertToFloat32().Mul(archsimd.BroadcastFloat32x8(rs[1])), c[8:16])
	store8(a2.ConvertToFloat32().Mul(archsimd.BroadcastFloat32x8(rs[2])), c[16:24])
	store8(a3.ConvertToFloat32().Mul(archsimd.BroadcastFloat32x8(rs[3])), c[24:32])
}

// quantizeRows has no AVX2 version: it is O(rows·in) next to the GEMM's
// O(rows·in·out).
func quantizeRows(xq []int16, scale []float32, x []float32, rows, in, ldq int, limit int32) {
	quantizeRowsRef(xq, scale, x, rows, in, ldq, limit)
}

// The loads below go through unsafe pointers like the wasm kernels': every
// caller checks its slice bounds once, before its loop.

func load8(p unsafe.Pointer, i int) archsimd.Float32x8 {
	return archsimd.LoadFloat32x8Array((*[8]float32)(unsafe.Add(p, 4*i)))
}

func bcast8(p unsafe.Pointer, i int) archsimd.Float32x8 {
	return archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(p, 4*i)))
}

func store8(v archsimd.Float32x8, dst []float32) {
	v.StoreArray((*[8]float32)(dst))
}

// pair8 broadcasts the int16 pair x[k], x[k+1] to all eight pairs of an
// Int16x16.
func pair8(p unsafe.Pointer, k int) archsimd.Int16x16 {
	return archsimd.BroadcastInt32x8(*(*int32)(unsafe.Add(p, 2*k))).AsInt16x16()
}
