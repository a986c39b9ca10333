//go:build goexperiment.simd && amd64

package kernel

import "simd/archsimd"

// storeTile writes rows×cols of a 4×8 tile to y (row stride ldy) as
// tile·scale + bias; scale nil means 1. A full panel row is one vector: the
// scalar loop took 16% of a native MiniLM forward once the GEMM ran on AVX2
// (pprof).
func storeTile(y []float32, ldy int, tile []float32, rows, cols int, scale, bias []float32) {
	if !useAVX2 || cols < panelWidth || rows == 0 {
		storeTileScalar(y, ldy, tile, rows, cols, scale, bias)
		return
	}
	_ = y[(rows-1)*ldy+panelWidth-1]
	b := archsimd.LoadFloat32x8Array((*[panelWidth]float32)(bias))
	if scale == nil {
		for r := 0; r < rows; r++ {
			t := archsimd.LoadFloat32x8Array((*[panelWidth]float32)(tile[r*panelWidth:]))
			t.Add(b).StoreArray((*[panelWidth]float32)(y[r*ldy:]))
		}
		return
	}
	s := archsimd.LoadFloat32x8Array((*[panelWidth]float32)(scale))
	for r := 0; r < rows; r++ {
		t := archsimd.LoadFloat32x8Array((*[panelWidth]float32)(tile[r*panelWidth:]))
		t.MulAdd(s, b).StoreArray((*[panelWidth]float32)(y[r*ldy:]))
	}
}
