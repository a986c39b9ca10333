//go:build goexperiment.simd && wasm

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// Dot returns Σ a[i]·b[i] over len(a) elements; b must be at least as long.
func Dot(a, b []float32) float32 {
	n := len(a)
	b = b[:n]
	if n < 4 {
		var s float32
		for i := range a {
			s += a[i] * b[i]
		}
		return s
	}
	pa, pb := unsafe.Pointer(unsafe.SliceData(a)), unsafe.Pointer(unsafe.SliceData(b))
	var s0, s1 archsimd.Float32x4
	i := 0
	for ; i+8 <= n; i += 8 {
		s0 = s0.Add(loadF32(pa, i).Mul(loadF32(pb, i)))
		s1 = s1.Add(loadF32(pa, i+4).Mul(loadF32(pb, i+4)))
	}
	if i+4 <= n {
		s0 = s0.Add(loadF32(pa, i).Mul(loadF32(pb, i)))
		i += 4
	}
	s := hsum(s0.Add(s1))
	for ; i < n; i++ {
		s += a[i] * b[i]
	}
	return s
}

// Axpy sets y[i] += alpha·x[i] over len(x) elements; y must be at least as
// long.
func Axpy(alpha float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	px, py := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(y))
	va := archsimd.BroadcastFloat32x4(alpha)
	i := 0
	for ; i+4 <= n; i += 4 {
		storeF32(loadF32(py, i).Add(va.Mul(loadF32(px, i))), py, i)
	}
	for ; i < n; i++ {
		y[i] += alpha * x[i]
	}
}

// Scale sets x[i] *= alpha.
func Scale(alpha float32, x []float32) {
	n := len(x)
	px := unsafe.Pointer(unsafe.SliceData(x))
	va := archsimd.BroadcastFloat32x4(alpha)
	i := 0
	for ; i+4 <= n; i += 4 {
		storeF32(loadF32(px, i).Mul(va), px, i)
	}
	for ; i < n; i++ {
		x[i] *= alpha
	}
}

// sum returns Σ x[i], in the order of sumGo.
func sum(x []float32) float32 {
	n := len(x)
	px := unsafe.Pointer(unsafe.SliceData(x))
	var s archsimd.Float32x4
	i := 0
	for ; i+4 <= n; i += 4 {
		s = s.Add(loadF32(px, i))
	}
	l := lanesOf(s)
	for j, v := range x[i:] {
		l[j] += v
	}
	return l.total()
}

// sumSqDev returns Σ (x[i]-mean)², in the order of sumSqDevGo.
func sumSqDev(x []float32, mean float32) float32 {
	n := len(x)
	px := unsafe.Pointer(unsafe.SliceData(x))
	vm := archsimd.BroadcastFloat32x4(mean)
	var s archsimd.Float32x4
	i := 0
	for ; i+4 <= n; i += 4 {
		d := loadF32(px, i).Sub(vm)
		s = s.Add(d.Mul(d))
	}
	l := lanesOf(s)
	for j, v := range x[i:] {
		d := v - mean
		l[j] += d * d
	}
	return l.total()
}

// normalize sets x[i] = (x[i]-mean)·inv·gamma[i] + beta[i].
func normalize(x []float32, mean, inv float32, gamma, beta []float32) {
	n := len(x)
	gamma, beta = gamma[:n], beta[:n]
	px, pg, pb := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(gamma)), unsafe.Pointer(unsafe.SliceData(beta))
	vm, vi := archsimd.BroadcastFloat32x4(mean), archsimd.BroadcastFloat32x4(inv)
	i := 0
	for ; i+4 <= n; i += 4 {
		v := loadF32(px, i).Sub(vm).Mul(vi).Mul(loadF32(pg, i)).Add(loadF32(pb, i))
		storeF32(v, px, i)
	}
	for ; i < n; i++ {
		x[i] = (x[i]-mean)*inv*gamma[i] + beta[i]
	}
}

// addTo sets x[i] += y[i].
func addTo(x, y []float32) {
	n := len(x)
	y = y[:n]
	px, py := unsafe.Pointer(unsafe.SliceData(x)), unsafe.Pointer(unsafe.SliceData(y))
	i := 0
	for ; i+4 <= n; i += 4 {
		storeF32(loadF32(px, i).Add(loadF32(py, i)), px, i)
	}
	for ; i < n; i++ {
		x[i] += y[i]
	}
}
