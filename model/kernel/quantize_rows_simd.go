//go:build goexperiment.simd && wasm

package kernel

func quantizeRows(xq []int16, scale []float32, x []float32, rows, in, ldq int, limit int32) {
	quantizeRowsRef(xq, scale, x, rows, in, ldq, limit)
}
