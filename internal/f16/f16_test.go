package f16

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestConversions(t *testing.T) {
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
		if got := FromFloat32(tc.in); got != tc.bits {
			t.Errorf("FromFloat32(%g) = %#04x, want %#04x", tc.in, got, tc.bits)
		}
	}
	if got := ToFloat32(FromFloat32(float32(math.NaN()))); !math.IsNaN(float64(got)) {
		t.Errorf("NaN round trip = %g", got)
	}
	// Every finite f16 survives f16 -> f32 -> f16 exactly.
	for h := range uint32(0x10000) {
		if h&0x7c00 == 0x7c00 {
			continue
		}
		if got := FromFloat32(ToFloat32(uint16(h))); got != uint16(h) {
			t.Fatalf("round trip %#04x -> %g -> %#04x", h, ToFloat32(uint16(h)), got)
		}
	}
	// Relative error of normal values is at most 2^-11.
	rng := rand.New(rand.NewPCG(5, 6))
	for range 10000 {
		v := float32(rng.NormFloat64() * 10)
		if math.Abs(float64(v)) < 6.2e-5 {
			continue
		}
		got := ToFloat32(FromFloat32(v))
		if rel := math.Abs(float64(got-v)) / math.Abs(float64(v)); rel > 1.0/2048 {
			t.Fatalf("f16(%g) = %g, relative error %g", v, got, rel)
		}
	}
}
