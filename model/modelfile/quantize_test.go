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

func TestQuantizeInt4ErrorBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ rows, cols, group int }{{1, 1, 32}, {3, 7, 32}, {5, 33, 32}, {4, 65, 16}, {2, 384, 32}, {3, 9, 4}} {
		w := randomMatrix(rng, tc.rows, tc.cols)
		packed, scale := QuantizeInt4(w, tc.rows, tc.cols, tc.group)
		groups := (tc.cols + tc.group - 1) / tc.group
		if len(scale) != tc.rows*groups || len(packed) != tc.rows*((tc.cols+1)/2) {
			t.Fatalf("%+v: %d packed bytes, %d scales", tc, len(packed), len(scale))
		}
		got := DequantizeInt4(packed, scale, tc.rows, tc.cols, tc.group)
		for r := range tc.rows {
			for c := range tc.cols {
				i := r*tc.cols + c
				s := scale[r*groups+c/tc.group]
				if d := math.Abs(float64(got[i] - w[i])); d > float64(s)/2*1.0001 {
					t.Fatalf("%+v: [%d][%d] error %g > scale/2 = %g", tc, r, c, d, s/2)
				}
			}
		}
	}
}

func TestF16(t *testing.T) {
	tests := []struct {
		in   float32
		bits uint16
	}{
		{0, 0x0000},
		{float32(math.Copysign(0, -1)), 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{65504, 0x7bff},
		{65520, 0x7c00}, // rounds up to Inf
		{float32(math.Inf(1)), 0x7c00},
		{float32(math.Inf(-1)), 0xfc00},
		{6.103515625e-05, 0x0400},         // smallest normal
		{5.960464477539063e-08, 0x0001},   // smallest subnormal
		{2.98023223876953125e-08, 0x0000}, // half of it: ties to even (0)
		{1.0009765625, 0x3c01},            // 1 + 2^-10
		{1.00048828125, 0x3c00},           // 1 + 2^-11: tie, to even
		{1.00146484375, 0x3c02},           // 1 + 3*2^-11: tie, to even
		{0.1, 0x2e66},
	}
	for _, tc := range tests {
		if got := f32ToF16(tc.in); got != tc.bits {
			t.Errorf("f32ToF16(%g) = %#04x, want %#04x", tc.in, got, tc.bits)
		}
	}
	if got := f16ToF32(f32ToF16(float32(math.NaN()))); !math.IsNaN(float64(got)) {
		t.Errorf("NaN round trip = %g", got)
	}
	// Every finite f16 survives f16 -> f32 -> f16 exactly.
	for h := range uint32(0x10000) {
		if h&0x7c00 == 0x7c00 {
			continue
		}
		if got := f32ToF16(f16ToF32(uint16(h))); got != uint16(h) {
			t.Fatalf("round trip %#04x -> %g -> %#04x", h, f16ToF32(uint16(h)), got)
		}
	}
	// Relative error of normal values is at most 2^-11.
	rng := rand.New(rand.NewPCG(5, 6))
	for range 10000 {
		v := float32(rng.NormFloat64() * 10)
		if math.Abs(float64(v)) < 6.2e-5 {
			continue
		}
		got := f16ToF32(f32ToF16(v))
		if rel := math.Abs(float64(got-v)) / math.Abs(float64(v)); rel > 1.0/2048 {
			t.Fatalf("f16(%g) = %g, relative error %g", v, got, rel)
		}
	}
}
