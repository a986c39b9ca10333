package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Tolerances of the fast kernels against their references, absolute for
// values of magnitude ≤ 1 and relative above.
const (
	layerNormTol = 1e-5
	geluTol      = 1e-6
	softmaxTol   = 1e-6
	attentionTol = 1e-5
)

func TestLayerNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, s := range []struct{ rows, n int }{{1, 1}, {1, 2}, {3, 7}, {2, 33}, {5, 384}, {1, 1023}} {
		x, res := randSlice(rng, s.rows*s.n), randSlice(rng, s.rows*s.n)
		for i := range x {
			x[i] = x[i]*5 + 3 // an offset, so a one-pass variance would cancel
		}
		gamma, beta := randSlice(rng, s.n), randSlice(rng, s.n)
		got, want := append([]float32(nil), x...), append([]float32(nil), x...)
		LayerNorm(got, s.rows, s.n, gamma, beta, 1e-12)
		LayerNormRef(want, s.rows, s.n, gamma, beta, 1e-12)
		assertClose(t, "LayerNorm", got, want, layerNormTol)

		got, want = append([]float32(nil), x...), append([]float32(nil), x...)
		resCopy := append([]float32(nil), res...)
		AddLayerNorm(got, res, s.rows, s.n, gamma, beta, 1e-12)
		AddLayerNormRef(want, res, s.rows, s.n, gamma, beta, 1e-12)
		assertClose(t, "AddLayerNorm", got, want, layerNormTol)
		assertClose(t, "AddLayerNorm residual", res, resCopy, 0)
	}
}

// TestGELU measures the largest error of GELU against the math.Erf-based
// GELURef over a dense grid, the whole range BERT activations take and
// beyond, and over every odd length for the vector tails.
func TestGELU(t *testing.T) {
	var x []float32
	for v := -12.0; v <= 12; v += 1.0 / 1024 {
		x = append(x, float32(v))
	}
	x = append(x, 0, -0.0, 100, -100, 3e38, -3e38, 1e-30, -1e-30)
	got, want := append([]float32(nil), x...), append([]float32(nil), x...)
	GELU(got)
	GELURef(want)
	var worst float64
	for i := range got {
		d := math.Abs(float64(got[i]-want[i])) / max(1, math.Abs(float64(want[i])))
		worst = max(worst, d)
	}
	t.Logf("GELU max error relative to max(1,|GELU(x)|) on [-12,12]: %.3g", worst)
	assertClose(t, "GELU", got, want, geluTol)

	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range vecSizes {
		x := randSlice(rng, n)
		Scale(6, x)
		got, want := append([]float32(nil), x...), append([]float32(nil), x...)
		GELU(got)
		GELURef(want)
		assertClose(t, "GELU", got, want, geluTol)
	}
}

func TestSoftmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, n := range vecSizes[1:] {
		for _, spread := range []float32{1, 10, 80} {
			x := randSlice(rng, n)
			Scale(spread, x)
			got, want := append([]float32(nil), x...), append([]float32(nil), x...)
			Softmax(got)
			SoftmaxRef(want)
			assertClose(t, "Softmax", got, want, softmaxTol)
		}
	}
	masked := []float32{1, 2, -math.MaxFloat32, float32(math.Inf(-1)), 0.5}
	got, want := append([]float32(nil), masked...), append([]float32(nil), masked...)
	Softmax(got)
	SoftmaxRef(want)
	assertClose(t, "Softmax masked", got, want, softmaxTol)
	if got[2] != 0 || got[3] != 0 {
		t.Errorf("Softmax gave masked entries weight %v, %v; want exactly 0", got[2], got[3])
	}
	long := make([]float32, 11) // masked entries in the vector body and the tail
	for i := range long {
		if i%3 != 0 {
			long[i] = -math.MaxFloat32
		}
	}
	Softmax(long)
	for i, v := range long {
		if (i%3 != 0) != (v == 0) {
			t.Errorf("Softmax(masked)[%d] = %v", i, v)
		}
	}
	Softmax(nil) // must not panic
}

type attentionShape struct {
	seq, heads, headDim, pad int
	masked                   bool
}

func TestAttention(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	shapes := []attentionShape{
		{1, 1, 1, 0, false}, {3, 2, 5, 1, true}, {7, 3, 8, 0, true},
		{9, 12, 32, 0, false}, {17, 12, 32, 3, true}, {0, 2, 4, 0, false}, {130, 2, 33, 0, true},
		{1, 3, 64, 0, false}, {3, 1, 32, 2, true}, {7, 2, 7, 0, true}, {129, 2, 64, 0, true},
		{129, 1, 32, 1, false}, {128, 12, 32, 0, true},
	}
	for range 20 {
		shapes = append(shapes, attentionShape{
			seq: 1 + rng.IntN(70), heads: 1 + rng.IntN(3), headDim: 1 + rng.IntN(40),
			pad: rng.IntN(4), masked: rng.IntN(2) == 0,
		})
	}
	for _, s := range shapes {
		hidden := s.heads * s.headDim
		stride := 3*hidden + s.pad
		qkv := randSlice(rng, s.seq*stride)
		Scale(3, qkv)
		var mask []float32
		if s.masked {
			mask = make([]float32, s.seq)
			for j := s.seq / 2; j < s.seq-1; j++ {
				mask[j] = -math.MaxFloat32
			}
		}
		got, want := make([]float32, s.seq*hidden), make([]float32, s.seq*hidden)
		Attention(got, qkv, s.seq, 0, s.seq, s.heads, s.headDim, stride, mask, make([]float32, AttentionScratch(s.seq, s.headDim)))
		AttentionRef(want, qkv, s.seq, s.heads, s.headDim, stride, mask)
		assertClose(t, fmt.Sprintf("Attention %+v", s), got, want, attentionTol)
	}
}

// A query range computes the whole call's rows bit for bit, wherever it
// starts (the split forward's shares start on multiples of 4, the tails of
// a range go through the 4-row kernel too), and writes no other.
func TestAttentionRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for _, s := range []struct{ seq, lo, hi, heads, headDim int }{
		{9, 0, 4, 2, 5}, {9, 4, 9, 2, 5}, {17, 8, 12, 3, 8}, {130, 64, 130, 2, 33},
		{128, 0, 64, 12, 32}, {7, 3, 6, 1, 4}, {13, 5, 5, 2, 8}, {5, 0, 1, 2, 3},
		{129, 4, 129, 2, 64}, {129, 1, 3, 1, 7}, {129, 128, 129, 2, 32}, {3, 1, 2, 2, 32},
	} {
		hidden := s.heads * s.headDim
		qkv := randSlice(rng, s.seq*3*hidden)
		mask := make([]float32, s.seq)
		mask[s.seq-1] = -math.MaxFloat32
		scratch := make([]float32, AttentionScratch(s.seq, s.headDim))
		whole := make([]float32, s.seq*hidden)
		Attention(whole, qkv, s.seq, 0, s.seq, s.heads, s.headDim, 3*hidden, mask, scratch)
		got := make([]float32, s.seq*hidden)
		for i := range got {
			got[i] = -1
		}
		Attention(got, qkv, s.seq, s.lo, s.hi, s.heads, s.headDim, 3*hidden, mask, scratch)
		name := fmt.Sprintf("seq %d rows [%d, %d)", s.seq, s.lo, s.hi)
		rows := got[s.lo*hidden : s.hi*hidden]
		sameBits(t, name, rows, whole[s.lo*hidden:s.hi*hidden])
		for i, v := range got {
			if (i < s.lo*hidden || i >= s.hi*hidden) && v != -1 {
				t.Fatalf("%s: wrote out[%d] outside the range", name, i)
			}
		}
	}
}
