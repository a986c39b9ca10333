package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The tests here hold the fast kernels to their portable twins bit for bit,
// and a row's result to be independent of the rows around it: the int8
// Linear quantizes activations per row, so any one-ulp difference between
// builds or batch compositions upstream of it grows to ~1e-4 in the
// embedding (see reduce.go).

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d] = %g, want %g bit for bit", what, i, got[i], want[i])
		}
	}
}

// TestReductionsMatchGo runs sum, sumSqDev and Softmax on every length up to
// a few vectors past a multiple of 4 and the model's widths, and Softmax
// again with masked keys appended: the real entries must not move.
func TestReductionsMatchGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	lengths := []int{128, 129, 384, 1536}
	for n := 0; n <= 19; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			x := randSlice(rng, n)
			for i := range x {
				x[i] *= float32(math.Exp(rng.NormFloat64() * 2))
			}
			if g, w := sum(x), sumGo(x); math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("sum = %g, sumGo = %g", g, w)
			}
			mean := rng.Float32() - 0.5
			if g, w := sumSqDev(x, mean), sumSqDevGo(x, mean); math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("sumSqDev = %g, sumSqDevGo = %g", g, w)
			}
			if n == 0 {
				return
			}
			got, want := append([]float32(nil), x...), append([]float32(nil), x...)
			Softmax(got)
			softmaxGo(want)
			sameBits(t, "Softmax", got, want)
			// The mask Attention adds in Softmax's max pass: as added first.
			mask := randSlice(rng, n)
			for i := range mask {
				if rng.IntN(3) == 0 {
					mask[i] = -math.MaxFloat32
				}
			}
			added, addedGo := append([]float32(nil), x...), append([]float32(nil), x...)
			softmaxAdd(added, mask)
			addTo(addedGo, mask)
			softmaxGo(addedGo)
			sameBits(t, "softmaxAdd", added, addedGo)
			for pad := 1; pad <= 9; pad += 4 {
				padded := append(append([]float32(nil), x...), make([]float32, pad)...)
				for i := n; i < len(padded); i++ {
					padded[i] = -math.MaxFloat32
				}
				Softmax(padded)
				sameBits(t, fmt.Sprintf("Softmax padded by %d", pad), padded[:n], want)
			}
		})
	}
}

// TestSoftmaxNaN puts a NaN at the start, middle and end of rows of every
// length to 19: Softmax treats it as softmaxGo does (the max skips it unless
// it is x[0], its exp is 0), the other entries bit for bit.
func TestSoftmaxNaN(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	nan := float32(math.NaN())
	for n := 1; n <= 19; n++ {
		for _, at := range []int{0, 1, n / 2, n - 1} {
			if at >= n {
				continue
			}
			x := randSlice(rng, n)
			x[at] = nan
			got, want := append([]float32(nil), x...), append([]float32(nil), x...)
			Softmax(got)
			softmaxGo(want)
			for i := range want {
				g, w := got[i], want[i]
				if g != g || w != w {
					if (g != g) != (w != w) {
						t.Fatalf("n %d NaN at %d: Softmax[%d] = %v, softmaxGo %v", n, at, i, g, w)
					}
					continue
				}
				if math.Float32bits(g) != math.Float32bits(w) {
					t.Fatalf("n %d NaN at %d: Softmax[%d] = %v, softmaxGo %v bit for bit", n, at, i, g, w)
				}
			}
		}
	}
}

// TestStoreTileMatchesScalar covers both epilogues (bias only, and the int8
// Linear's scale then bias) on full and partial tiles.
func TestStoreTileMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for rows := 1; rows <= 4; rows++ {
		for _, cols := range []int{3, panelWidth} {
			for _, scaled := range []bool{false, true} {
				tile := randSlice(rng, 4*panelWidth)
				bias := randSlice(rng, panelWidth)
				var scale []float32
				if scaled {
					scale = randSlice(rng, panelWidth)
				}
				const ldy = 19
				got, want := make([]float32, 4*ldy), make([]float32, 4*ldy)
				storeTile(got, ldy, tile, rows, cols, scale, bias)
				storeTileScalar(want, ldy, tile, rows, cols, scale, bias)
				sameBits(t, fmt.Sprintf("rows %d cols %d scaled %v: y", rows, cols, scaled), got, want)
			}
		}
	}
}

// TestF32KernelsRoundAlike checks that a row comes out of the 1-row kernel
// as out of the 4-row one, so whatever the rows beside it (the f32 Linear
// sends its last rows through gemm1x8F32; attention its last query rows
// through the 4-row kernel beside zero rows), both kernels against the
// portable ones, and the multi-panel strided store attention uses.
func TestF32KernelsRoundAlike(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, in := range []int{1, 2, 3, 7, 32, 33, 64, 384} {
		t.Run(fmt.Sprint(in), func(t *testing.T) {
			ldx := in + 3
			x, panel := randSlice(rng, 4*ldx), randSlice(rng, panelWidth*in)
			var tile, portable [4 * panelWidth]float32
			gemm4x8F32(&tile, x, ldx, panel, in)
			for r := 0; r < 4; r++ {
				var row [panelWidth]float32
				gemm1x8F32(&row, x[r*ldx:r*ldx+in], panel, in)
				sameBits(t, fmt.Sprintf("row %d", r), row[:], tile[r*panelWidth:(r+1)*panelWidth])
			}
			gemm4x8F32Go(&portable, x, ldx, panel, in)
			sameBits(t, "gemm4x8F32 against gemm4x8F32Go", tile[:], portable[:])
			// The strided store of several panels attention uses: each
			// panel's tile, rows ldc apart, nothing written between them.
			const panels, ldc = 3, 3*panelWidth + 5
			wide := randSlice(rng, panels*panelWidth*in)
			copy(wide[panelWidth*in:], panel)
			strided := make([]float32, 3*ldc+panels*panelWidth)
			for i := range strided {
				strided[i] = -1
			}
			gemm4x8F32Panels(strided, ldc, x, ldx, wide, in, panels)
			for p := 0; p < panels; p++ {
				gemm4x8F32(&tile, x, ldx, wide[p*panelWidth*in:(p+1)*panelWidth*in], in)
				for r := 0; r < 4; r++ {
					sameBits(t, fmt.Sprintf("panel %d row %d", p, r), strided[r*ldc+p*panelWidth:r*ldc+(p+1)*panelWidth], tile[r*panelWidth:(r+1)*panelWidth])
				}
			}
			for r := 0; r < 3; r++ {
				gap := strided[r*ldc+panels*panelWidth : (r+1)*ldc]
				sameBits(t, fmt.Sprintf("gap after row %d", r), gap, []float32{-1, -1, -1, -1, -1})
			}
		})
	}
}

// TestLinearRowsIndependent runs each Linear on a batch and on every row
// alone: the same bits, whichever tile or tail a row falls in.
func TestLinearRowsIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	for _, s := range []struct{ rows, out, in int }{{7, 13, 5}, {9, 40, 33}, {6, 384, 384}, {5, 17, 1536}} {
		q, scale := randInt8(rng, s.out*s.in), randSlice(rng, s.out)
		for i := range scale {
			scale[i] = (scale[i] + 1.5) / 127
		}
		w, b := randSlice(rng, s.out*s.in), randSlice(rng, s.out)
		for _, l := range []struct {
			name string
			lin  Linear
		}{
			{"f32", NewF32(w, b, s.out, s.in)},
			{"int8", NewInt8(q, scale, b, s.out, s.in)},
			{"int8 gelu", NewInt8(q, scale, b, s.out, s.in, WithGELU())},
			{"int4", newRandInt4(rng, s.out, s.in, 16)},
			{"int4 gelu", newRandInt4(rng, s.out, s.in, 16, WithGELU())},
		} {
			t.Run(fmt.Sprintf("%s/%dx%dx%d", l.name, s.rows, s.out, s.in), func(t *testing.T) {
				x := randSlice(rng, s.rows*s.in)
				for i := range x {
					x[i] *= float32(math.Exp(rng.NormFloat64()))
				}
				all := make([]float32, s.rows*s.out)
				l.lin.Forward(all, x, s.rows)
				one := make([]float32, s.out)
				for r := 0; r < s.rows; r++ {
					l.lin.Forward(one, x[r*s.in:(r+1)*s.in], 1)
					sameBits(t, fmt.Sprintf("row %d", r), one, all[r*s.out:(r+1)*s.out])
				}
			})
		}
	}
}
