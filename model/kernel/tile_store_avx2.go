//go:build goexperiment.simd && amd64

package kernel

import "simd/archsimd"

// storeTile writes rows×cols of a 4×8 tile to y (row stride ldy) as
// tile·scale + bias; scale nil means 1. A full panel row is one vector: the
// scalar loop took 16% of a native MiniLM forward once the GEMM ran on AVX2
// (pprof). A multiply and an add, not an FMA: the int8 Linear's epilogue
// must round as on wasm and in the portable build, which have no FMA.
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
		t.Mul(s).Add(b).StoreArray((*[panelWidth]float32)(y[r*ldy:]))
	}
}
