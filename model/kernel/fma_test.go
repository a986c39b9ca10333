//go:build !(goexperiment.simd && amd64)

package kernel

// gemmFusesMulAdd reports whether the f32 micro-kernels round once per
// multiply-add (AVX2's FMA), so they cannot match the portable ones.
func gemmFusesMulAdd() bool { return false }
