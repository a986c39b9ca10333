//go:build goexperiment.simd && wasm

package kernel

import (
	"math"
	"simd/archsimd"
	"unsafe"
)

// GELU applies the exact (erf) GELU in place, as HF's "gelu" does: erf32's
// arithmetic on four lanes at a time, erf32 itself on the tail.
func GELU(x []float32) {
	n := len(x)
	px := unsafe.Pointer(unsafe.SliceData(x))
	i := 0
	for ; i+4 <= n; i += 4 {
		v := loadF32(px, i)
		e := erf4(v.Mul(archsimd.BroadcastFloat32x4(sqrt1_2)))
		half := archsimd.BroadcastFloat32x4(0.5)
		storeF32(half.Mul(v).Mul(archsimd.BroadcastFloat32x4(1).Add(e)), px, i)
	}
	for ; i < n; i++ {
		x[i] = gelu32(x[i])
	}
}

func erf4(x archsimd.Float32x4) archsimd.Float32x4 {
	x = x.Min(archsimd.BroadcastFloat32x4(erfClamp)).Max(archsimd.BroadcastFloat32x4(-erfClamp))
	x2 := x.Mul(x)
	p := x2.Mul(archsimd.BroadcastFloat32x4(erfA13)).Add(archsimd.BroadcastFloat32x4(erfA11))
	p = x2.Mul(p).Add(archsimd.BroadcastFloat32x4(erfA9))
	p = x2.Mul(p).Add(archsimd.BroadcastFloat32x4(erfA7))
	p = x2.Mul(p).Add(archsimd.BroadcastFloat32x4(erfA5))
	p = x2.Mul(p).Add(archsimd.BroadcastFloat32x4(erfA3))
	p = x2.Mul(p).Add(archsimd.BroadcastFloat32x4(erfA1))
	p = p.Mul(x)
	q := x2.Mul(archsimd.BroadcastFloat32x4(erfB8)).Add(archsimd.BroadcastFloat32x4(erfB6))
	q = x2.Mul(q).Add(archsimd.BroadcastFloat32x4(erfB4))
	q = x2.Mul(q).Add(archsimd.BroadcastFloat32x4(erfB2))
	q = x2.Mul(q).Add(archsimd.BroadcastFloat32x4(erfB0))
	return p.Div(q)
}

// softmaxConsts is what expSumAsm reads: the row's max, then expNeg32's
// constants, in the order of the byte offsets softmax_wasm.s uses.
type softmaxConsts [14]float32

// expPow2Magic is 1.5·2²³ + 127: n + expPow2Magic, for an integer n in
// [-126, 0], has n+127 in its low mantissa bits (see softmax_wasm.s).
const expPow2Magic = 1.5*(1<<23) + 127

// expSumAsm sets x[i] = expNeg32(x[i] - k[0]) for i < 4·quads and adds each
// to sum[i mod 4], in index order.
//
//go:noescape
func expSumAsm(x *float32, quads int, k *softmaxConsts, sum *[4]float32)

// maxAsm sets lanes[l] to the max of x[4q+l] over q < quads, quads ≥ 1,
// each lane as the scalar "if v > m { m = v }" from its first element: a
// NaN is ignored there unless it comes first (then it stays).
//
//go:noescape
func maxAsm(x *float32, quads int, lanes *[4]float32)

// addMaxAsm is maxAsm after x[i] += mask[i], i < 4·quads.
//
//go:noescape
func addMaxAsm(x *float32, quads int, lanes *[4]float32, mask *float32)

// scaleAsm sets x[i] *= alpha for i < 4·quads.
//
//go:noescape
func scaleAsm(x *float32, quads int, alpha float32)

// Softmax replaces x with softmax(x), subtracting the max first for
// stability, bit for bit as softmaxGo. An empty x is left alone.
func Softmax(x []float32) { softmaxAdd(x, nil) }

// softmaxAdd is Softmax of x + mask (mask nil: x), leaving it in x: the
// mask added in the max pass rather than in one of its own. mask must be at
// least as long as x.
func softmaxAdd(x, mask []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	quads := n / 4
	px := unsafe.SliceData(x)
	m := float32(math.Inf(-1))
	if quads > 0 {
		var l lanes4
		if mask != nil {
			addMaxAsm(px, quads, (*[4]float32)(&l), unsafe.SliceData(mask[:n]))
		} else {
			maxAsm(px, quads, (*[4]float32)(&l))
		}
		m = l[0]
		for _, e := range l[1:] {
			if e > m {
				m = e
			}
		}
	}
	for i := 4 * quads; i < n; i++ {
		if mask != nil {
			x[i] += mask[i]
		}
		if x[i] > m {
			m = x[i]
		}
	}
	var l lanes4
	if quads > 0 {
		k := softmaxConsts{m, expMin, expLog2e, 0.5, expLn2Hi, expLn2Lo,
			expP0, expP1, expP2, 1, expPow2Magic, expP3, expP4, expP5}
		expSumAsm(px, quads, &k, (*[4]float32)(&l))
	}
	i := 4 * quads
	for j := range n - i {
		e := expNeg32(x[i+j] - m)
		x[i+j] = e
		l[j] += e
	}
	alpha := 1 / l.total()
	if quads > 0 {
		scaleAsm(px, quads, alpha)
	}
	for ; i < n; i++ {
		x[i] *= alpha
	}
}
