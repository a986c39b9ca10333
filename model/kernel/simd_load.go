//go:build goexperiment.simd && wasm

package kernel

import (
	"simd/archsimd"
	"unsafe"
)

// The SIMD kernels load through unsafe pointers: a slice-to-array conversion
// per load costs a bounds check each, which measured at less than half the
// GEMM throughput. Every caller checks its slice lengths once, before the
// loop, which is what makes these loads safe.

func loadF32(p unsafe.Pointer, i int) archsimd.Float32x4 {
	return archsimd.LoadFloat32x4Array((*[4]float32)(unsafe.Add(p, i*4)))
}

func storeF32(v archsimd.Float32x4, p unsafe.Pointer, i int) {
	v.StoreArray((*[4]float32)(unsafe.Add(p, i*4)))
}

// loadAt and broadcastAt take a byte offset, for loops that advance one.
func loadAt(p unsafe.Pointer, off int) archsimd.Float32x4 {
	return archsimd.LoadFloat32x4Array((*[4]float32)(unsafe.Add(p, off)))
}

func broadcastAt(p unsafe.Pointer, off int) archsimd.Float32x4 {
	return archsimd.BroadcastFloat32x4(*(*float32)(unsafe.Add(p, off)))
}

func scalarF32(p unsafe.Pointer, i int) float32 {
	return *(*float32)(unsafe.Add(p, i*4))
}

// hsum returns the sum of the four lanes of v (wasm SIMD has no horizontal
// add).
func hsum(v archsimd.Float32x4) float32 {
	return (v.GetElem(0) + v.GetElem(1)) + (v.GetElem(2) + v.GetElem(3))
}

// lanesOf returns the lanes of a reduction's accumulator, for its tail to
// finish in the fixed order of reduce.go.
func lanesOf(v archsimd.Float32x4) lanes4 {
	var l lanes4
	v.StoreArray((*[4]float32)(&l))
	return l
}
