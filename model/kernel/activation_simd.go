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

// softmaxFrame is what softmaxAsm reads and writes besides x: expNeg32's
// constants in the order of the byte offsets softmax_wasm.s uses, the tail
// quad, and room for the lanes of the max and the sums.
type softmaxFrame struct {
	k     [13]float32
	tail  [4]float32
	lanes [4]float32
}

// expPow2Magic is 1.5·2²³ + 127: n + expPow2Magic, for an integer n in
// [-126, 0], has n+127 in its low mantissa bits (see softmax_wasm.s).
const expPow2Magic = 1.5*(1<<23) + 127

// softmaxAsm is softmaxAdd on the quads ≥ 1 quads of x and, if hasTail is
// 1, f.tail (x's last elements, mask added, padded with -Inf). mask is nil
// or as long as the quads.
//
//go:noescape
func softmaxAsm(x *float32, quads int, mask *float32, hasTail int, f *softmaxFrame)

// Softmax replaces x with softmax(x), subtracting the max first for
// stability, bit for bit as softmaxGo. An empty x is left alone.
func Softmax(x []float32) { softmaxAdd(x, nil) }

// softmaxAdd is Softmax of x + mask (mask nil: x), leaving it in x: the
// mask added in the max pass rather than in one of its own. mask must be at
// least as long as x.
func softmaxAdd(x, mask []float32) {
	n := len(x)
	if n < 4 {
		if mask != nil {
			addTo(x, mask)
		}
		softmaxGo(x)
		return
	}
	quads := n / 4
	i := 4 * quads
	f := softmaxFrame{k: [13]float32{expMin, expLog2e, 0.5, expLn2Hi, expLn2Lo,
		expP0, expP1, expP2, 1, expPow2Magic, expP3, expP4, expP5}}
	hasTail := 0
	if i < n {
		hasTail = 1
		negInf := float32(math.Inf(-1))
		f.tail = [4]float32{negInf, negInf, negInf, negInf}
		for j, v := range x[i:] {
			if mask != nil {
				v += mask[i+j]
			}
			f.tail[j] = v
		}
	}
	var pm *float32
	if mask != nil {
		pm = unsafe.SliceData(mask[:n])
	}
	softmaxAsm(unsafe.SliceData(x), quads, pm, hasTail, &f)
	for j := range x[i:] {
		x[i+j] = f.tail[j]
	}
}
