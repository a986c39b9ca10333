//go:build goexperiment.simd && wasm

package kernel

import "unsafe"

// storeTile writes rows×cols of a 4×8 tile to y (row stride ldy) as
// tile·scale + bias; scale nil means 1. Full panels go two vectors per row:
// the scalar loop, bounds checks and all, cost ~20% of a whole
// 128×384×1536 Forward on wasm (measured).
func storeTile(y []float32, ldy int, tile []float32, rows, cols int, scale, bias []float32) {
	if cols < panelWidth || rows == 0 {
		storeTileScalar(y, ldy, tile, rows, cols, scale, bias)
		return
	}
	_, _, _ = y[(rows-1)*ldy+panelWidth-1], tile[rows*panelWidth-1], bias[panelWidth-1]
	py, pt, pb := unsafe.Pointer(unsafe.SliceData(y)), unsafe.Pointer(unsafe.SliceData(tile)), unsafe.Pointer(unsafe.SliceData(bias))
	b0, b1 := loadF32(pb, 0), loadF32(pb, 4)
	if scale == nil {
		for r := 0; r < rows; r++ {
			storeF32(loadF32(pt, r*panelWidth).Add(b0), py, r*ldy)
			storeF32(loadF32(pt, r*panelWidth+4).Add(b1), py, r*ldy+4)
		}
		return
	}
	_ = scale[panelWidth-1]
	ps := unsafe.Pointer(unsafe.SliceData(scale))
	s0, s1 := loadF32(ps, 0), loadF32(ps, 4)
	for r := 0; r < rows; r++ {
		storeF32(loadF32(pt, r*panelWidth).Mul(s0).Add(b0), py, r*ldy)
		storeF32(loadF32(pt, r*panelWidth+4).Mul(s1).Add(b1), py, r*ldy+4)
	}
}
