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

// expNeg4 is expNeg32 on four lanes.
func expNeg4(x archsimd.Float32x4) archsimd.Float32x4 {
	keep := x.GreaterEqual(archsimd.BroadcastFloat32x4(expMin))
	// Clamped so the lanes zeroed at the end stay finite meanwhile.
	x = x.Max(archsimd.BroadcastFloat32x4(expMin))
	n := x.Mul(archsimd.BroadcastFloat32x4(expLog2e)).Add(archsimd.BroadcastFloat32x4(0.5)).Floor()
	r := x.Sub(n.Mul(archsimd.BroadcastFloat32x4(expLn2Hi))).Sub(n.Mul(archsimd.BroadcastFloat32x4(expLn2Lo)))
	z := r.Mul(r)
	p := archsimd.BroadcastFloat32x4(expP0).Mul(r).Add(archsimd.BroadcastFloat32x4(expP1))
	p = p.Mul(r).Add(archsimd.BroadcastFloat32x4(expP2))
	p = p.Mul(r).Add(archsimd.BroadcastFloat32x4(expP3))
	p = p.Mul(r).Add(archsimd.BroadcastFloat32x4(expP4))
	p = p.Mul(r).Add(archsimd.BroadcastFloat32x4(expP5))
	p = p.Mul(z).Add(r).Add(archsimd.BroadcastFloat32x4(1))
	pow2 := n.ConvertToInt32().Add(archsimd.BroadcastInt32x4(127)).ShiftAllLeft(23).ToBits().BitsToFloat32()
	return p.Mul(pow2).Masked(keep)
}

// Softmax replaces x with softmax(x), subtracting the max first for
// stability, bit for bit as softmaxGo. An empty x is left alone.
func Softmax(x []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	px := unsafe.Pointer(unsafe.SliceData(x))
	m := float32(math.Inf(-1))
	i := 0
	if n >= 4 {
		vm := loadF32(px, 0)
		for i = 4; i+4 <= n; i += 4 {
			vm = vm.Max(loadF32(px, i))
		}
		m = vm.GetElem(0)
		for l := uint8(1); l < 4; l++ {
			if e := vm.GetElem(l); e > m {
				m = e
			}
		}
	}
	for ; i < n; i++ {
		if x[i] > m {
			m = x[i]
		}
	}
	vm := archsimd.BroadcastFloat32x4(m)
	var vs archsimd.Float32x4
	i = 0
	for ; i+4 <= n; i += 4 {
		e := expNeg4(loadF32(px, i).Sub(vm))
		storeF32(e, px, i)
		vs = vs.Add(e)
	}
	l := lanesOf(vs)
	for j := range n - i {
		e := expNeg32(x[i+j] - m)
		x[i+j] = e
		l[j] += e
	}
	Scale(1/l.total(), x)
}
