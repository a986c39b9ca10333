package modelfile

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randomMatrix(rng *rand.Rand, rows, cols int) []float32 {
	w := make([]float32, rows*cols)
	for i := range w {
		w[i] = float32(rng.NormFloat64()) * 0.1
	}
	return w
}

// heavyTailed gives rows with a few outliers, as in real attention and FFN
// weights, where clipping pays off.
func heavyTailed(rng *rand.Rand, rows, cols int) []float32 {
	w := randomMatrix(rng, rows, cols)
	for i := range w {
		if rng.IntN(50) == 0 {
			w[i] *= 8
		}
	}
	return w
}

func maxAbs(x []float32) float32 {
	var m float32
	for _, v := range x {
		m = max(m, abs32(v))
	}
	return m
}

// maxAbsRef is the reference quantizer QuantizeInt4 must beat or tie:
// scale = max|x|/limit, round to nearest, symmetric levels.
func maxAbsRef(x []float32, limit int) []float32 {
	s := maxAbs(x) / float32(limit)
	out := make([]float32, len(x))
	if s == 0 {
		return out
	}
	for i, v := range x {
		out[i] = float32(math.RoundToEven(float64(v/s))) * s
	}
	return out
}

func sqErr(a, b []float32) float64 {
	var e float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		e += d * d
	}
	return e
}

// checkSpan checks one int4 group of dequantized values got against the
// original w: never more squared error than maxAbsRef with the given limit.
func checkSpan(t *testing.T, what string, w, got []float32, limit int) {
	t.Helper()
	if e, ref := sqErr(got, w), sqErr(maxAbsRef(w, limit), w); e > ref*(1+1e-5)+1e-12 {
		t.Errorf("%s: squared error %g > max-abs reference %g", what, e, ref)
	}
}

func TestQuantizeInt8ErrorBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, shape := range [][2]int{{1, 1}, {3, 7}, {17, 33}, {64, 384}, {5, 1}} {
		rows, cols := shape[0], shape[1]
		w := randomMatrix(rng, rows, cols)
		w[0] = 0 // zeros must survive
		q, scale := QuantizeInt8(w, rows, cols)
		got := DequantizeInt8(q, scale, rows, cols)
		for r := range rows {
			want := maxAbs(w[r*cols:(r+1)*cols]) / 127
			if scale[r] != want {
				t.Fatalf("%v: scale[%d] = %g, want %g", shape, r, scale[r], want)
			}
			for c := range cols {
				i := r*cols + c
				if d := math.Abs(float64(got[i] - w[i])); d > float64(scale[r])/2*1.0001 {
					t.Fatalf("%v: [%d][%d] error %g > scale/2 = %g", shape, r, c, d, scale[r]/2)
				}
			}
		}
	}
}

func TestQuantizeInt4(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := []struct{ rows, cols, group int }{{1, 1, 32}, {3, 7, 32}, {5, 33, 32}, {4, 65, 16}, {2, 384, 32}, {3, 9, 4}, {6, 1536, 16}}
	for _, gen := range []func(*rand.Rand, int, int) []float32{randomMatrix, heavyTailed} {
		for _, tc := range cases {
			w := gen(rng, tc.rows, tc.cols)
			packed, scale := QuantizeInt4(w, tc.rows, tc.cols, tc.group)
			groups := (tc.cols + tc.group - 1) / tc.group
			if len(scale) != tc.rows*groups || len(packed) != tc.rows*((tc.cols+1)/2) {
				t.Fatalf("%+v: %d packed bytes, %d scales", tc, len(packed), len(scale))
			}
			got := DequantizeInt4(packed, scale, tc.rows, tc.cols, tc.group)
			for r := range tc.rows {
				for g := range groups {
					lo, hi := r*tc.cols+g*tc.group, r*tc.cols+min((g+1)*tc.group, tc.cols)
					// The reference has 7 levels a side; with -8 the fit
					// must do at least as well.
					checkSpan(t, "int4 group", w[lo:hi], got[lo:hi], 7)
				}
			}
		}
	}
}

// TestQuantizeInt4ExactGrid checks values already on a [-7, 7] grid come
// back unchanged: the search must not trade an exact fit for clipping.
func TestQuantizeInt4ExactGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const rows, cols = 5, 40
	w := make([]float32, rows*cols)
	for r := range rows {
		s := 0.001 * float32(r+1)
		for c := range cols {
			w[r*cols+c] = float32(rng.IntN(15)-7) * s
		}
		w[r*cols] = -7 * s // the full range is used
	}
	packed, scale := QuantizeInt4(w, rows, cols, cols)
	if e := sqErr(DequantizeInt4(packed, scale, rows, cols, cols), w); e > 1e-12 {
		t.Errorf("int4 on its grid: squared error %g", e)
	}
}

// TestQuantizeInt4UsesMinus8 checks the nibble range: the value of largest
// magnitude takes level -8 whatever its sign.
func TestQuantizeInt4UsesMinus8(t *testing.T) {
	for _, peak := range []float32{8, -8} {
		w := []float32{peak, 1, -1, 3, -3, 7 * peak / 8, 0, 2}
		packed, scale := QuantizeInt4(w, 1, len(w), len(w))
		if e := sqErr(DequantizeInt4(packed, scale, 1, len(w), len(w)), w); e > 1e-9 {
			t.Errorf("peak %g: squared error %g (scale %g)", peak, e, scale[0])
		}
		if n := int8(packed[0]<<4) >> 4; n != -8 {
			t.Errorf("peak %g: level %d, want -8", peak, n)
		}
	}
}

// TestQuantizeInt4Tiny checks subnormal and near-zero groups neither
// overflow 1/scale nor produce NaN.
func TestQuantizeInt4Tiny(t *testing.T) {
	for _, v := range []float32{1e-45, 3e-42, 1e-39, 1e-30} {
		w := []float32{v, -v, 0, v / 2, 2 * v, -3 * v, v, 0}
		packed, scale := QuantizeInt4(w, 1, len(w), 4)
		got := DequantizeInt4(packed, scale, 1, len(w), 4)
		for i := range w {
			if math.IsNaN(float64(got[i])) || math.Abs(float64(got[i]-w[i])) > 4*float64(v) {
				t.Errorf("%g: got %v for %v (scales %v)", v, got, w, scale)
				break
			}
		}
	}
}

func TestQuantizeInt4Zeros(t *testing.T) {
	w := make([]float32, 3*10)
	w[25] = 0.5 // only the last row is non-zero
	packed, s4 := QuantizeInt4(w, 3, 10, 4)
	if sqErr(DequantizeInt4(packed, s4, 3, 10, 4), w) > 1e-12 {
		t.Errorf("int4: scales %v", s4)
	}
}

// BenchmarkQuantizeInt4 measures the scale search on one FFN matrix of
// all-MiniLM-L6-v2 ([1536, 384]).
func BenchmarkQuantizeInt4(b *testing.B) {
	w := heavyTailed(rand.New(rand.NewPCG(9, 10)), 1536, 384)
	for b.Loop() {
		QuantizeInt4(w, 1536, 384, DefaultGroupSize)
	}
}
