//go:build !(goexperiment.simd && (wasm || amd64))

package kernel

func storeTile(y []float32, ldy int, tile []float32, rows, cols int, scale, bias []float32) {
	storeTileScalar(y, ldy, tile, rows, cols, scale, bias)
}
