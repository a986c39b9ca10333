//go:build goexperiment.simd && amd64

package kernel

import "testing"

// TestPortableFallback runs the dense tests on the portable kernels a CPU
// without AVX2 or FMA would get.
func TestPortableFallback(t *testing.T) {
	if !useAVX2 {
		t.Skip("the portable kernels already ran: no AVX2+FMA here")
	}
	useAVX2 = false
	defer func() { useAVX2 = true }()
	t.Run("F32", TestNewF32)
	t.Run("Int8", TestNewInt8)
	t.Run("Int8Kernel", TestGemm4x8I16)
	t.Run("Int4", TestNewInt4)
	t.Run("Int4Kernel", TestGemm4x8I4)
	t.Run("Attention", TestAttention)
	t.Run("RowsIndependent", TestLinearRowsIndependent)
	t.Run("F32RoundAlike", TestF32KernelsRoundAlike)
	t.Run("StoreTile", TestStoreTileMatchesScalar)
}
