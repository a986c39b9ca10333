package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

func TestInt4ActLimit(t *testing.T) {
	for _, g := range []int{4, 16, 32, 128, 4096, 8192} {
		a := int64(int4ActLimit(g))
		if a < 255 || a > math.MaxInt16 {
			t.Errorf("int4ActLimit(%d) = %d, want within [255, 32767]", g, a)
		}
		if 8*int64(g)*a > math.MaxInt32 {
			t.Errorf("int4ActLimit(%d) = %d: 8·G·A = %d overflows int32", g, a, 8*int64(g)*a)
		}
		if a < math.MaxInt16 && 8*int64(g)*(a+1) <= math.MaxInt32 {
			t.Errorf("int4ActLimit(%d) = %d is not the largest safe A", g, a)
		}
	}
}

// randInt4 returns random i4 weights for [out, in] in the model file layout,
// every nibble value included, and group scales of both signs.
func randInt4(rng *rand.Rand, out, in, group int) (nibbles []byte, scale []float32) {
	nibbles = make([]byte, out*((in+1)/2))
	for i := range nibbles {
		nibbles[i] = byte(rng.IntN(256))
	}
	scale = randSlice(rng, out*((in+group-1)/group))
	for i := range scale {
		scale[i] /= 8
	}
	return nibbles, scale
}

// TestGemm4x8I4 checks the micro-kernel of the build against the scalar
// one bit for bit, on random operands and at the extremes of the overflow
// bound, with one group and with many.
func TestGemm4x8I4(t *testing.T) {
	rng := rand.New(rand.NewPCG(40, 41))
	for _, s := range []struct{ in, group int }{{4, 4}, {16, 16}, {32, 16}, {384, 16}, {1536, 16}, {96, 32}, {64, 64}, {20, 4}} {
		limit := int4ActLimit(s.group)
		for _, fill := range []string{"random", "max", "min", "alternating"} {
			t.Run(fmt.Sprintf("in=%d/g=%d/%s", s.in, s.group, fill), func(t *testing.T) {
				ldx := s.in
				x := make([]int16, 4*ldx)
				q := make([]byte, panelWidth/2*s.in)
				gs := randSlice(rng, s.in/s.group*panelWidth)
				fillActivations(rng, x, fill, limit)
				for i := range q {
					switch fill {
					case "random":
						q[i] = byte(rng.IntN(256))
					case "max":
						q[i] = 0x77
					case "min", "alternating":
						q[i] = 0x88
					}
				}
				rs := &[4]float32{1, 0.5, rng.Float32(), 1e-3}
				var got, want [4 * panelWidth]float32
				gemm4x8I4(&got, x, ldx, q, gs, s.group, rs)
				gemm4x8I4Go(&want, x, ldx, q, gs, s.in, s.group, rs)
				if got != want {
					t.Fatalf("got  %v\nwant %v", got, want)
				}
			})
		}
	}
}

// linearRef64 is LinearRef summed in float64, rounded once at the end.
func linearRef64(x, w, b []float32, rows, out, in int) []float32 {
	y := make([]float32, rows*out)
	for r := 0; r < rows; r++ {
		for o := 0; o < out; o++ {
			var s float64
			for k := 0; k < in; k++ {
				s += float64(x[r*in+k]) * float64(w[o*in+k])
			}
			if b != nil {
				s += float64(b[o])
			}
			y[r*out+o] = float32(s)
		}
	}
	return y
}

// int4Steps returns each row's activation quantization step as the int4
// Linear picks it: max|x[r]| over int4ActLimit(group).
func int4Steps(x []float32, rows, in, group int) []float32 {
	step := make([]float32, rows)
	limit := float64(int4ActLimit(group))
	for r := range step {
		var m float64
		for _, v := range x[r*in : (r+1)*in] {
			m = max(m, math.Abs(float64(v)))
		}
		step[r] = float32(m / limit * (1 + 1e-6))
	}
	return step
}

// int4Shapes covers the blocking boundaries of gemmShapes, in below, at and
// between whole groups, and the MiniLM shapes at group 16.
var int4Shapes = []struct{ rows, out, in, group int }{
	{1, 1, 1, 16}, {2, 3, 5, 16}, {5, 9, 7, 16}, {1, 8, 16, 16}, {5, 17, 17, 16},
	{3, 7, 33, 16}, {6, 15, 33, 4}, {7, 16, 40, 32}, {9, 33, 383, 16}, {5, 383, 100, 64},
	{0, 8, 8, 16}, {4, 8, 2, 4},
	{5, 384, 384, 16}, {13, 1152, 384, 16}, {6, 1536, 384, 16}, {7, 384, 1536, 16},
}

func TestNewInt4(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 43))
	for _, s := range int4Shapes {
		for _, bias := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%dx%d/g=%d/bias=%v", s.rows, s.out, s.in, s.group, bias), func(t *testing.T) {
				nibbles, scale := randInt4(rng, s.out, s.in, s.group)
				w := modelfile.DequantizeInt4(nibbles, scale, s.out, s.in, s.group)
				x := randSlice(rng, s.rows*s.in)
				var b []float32
				if bias {
					b = randSlice(rng, s.out)
				}
				l := NewInt4(nibbles, scale, b, s.out, s.in, s.group)
				if l.In() != s.in || l.Out() != s.out {
					t.Fatalf("In, Out = %d, %d; want %d, %d", l.In(), l.Out(), s.in, s.out)
				}
				got := newOutput(s.rows * s.out)
				l.Forward(got, x, s.rows)
				want := linearRef64(x, w, b, s.rows, s.out, s.in)
				checkLinear(t, got, want, x, w, b, s.rows, s.out, s.in, int4Steps(x, s.rows, s.in, s.group))
			})
		}
	}
}

// TestInt4AtTheBound runs whole Linears with every product at its largest
// magnitude, where an int32 overflow would flip a sign: each output must
// equal the float64 result.
func TestInt4AtTheBound(t *testing.T) {
	for _, s := range []struct{ in, group int }{{384, 16}, {1536, 16}, {1536, 1536}, {8192, 8192}} {
		for _, nib := range []byte{0x77, 0x88} {
			t.Run(fmt.Sprintf("in=%d/g=%d/%#x", s.in, s.group, nib), func(t *testing.T) {
				const rows, out = 6, 9
				nibbles := make([]byte, out*s.in/2)
				for i := range nibbles {
					nibbles[i] = nib
				}
				scale := make([]float32, out*s.in/s.group)
				for i := range scale {
					scale[i] = 1
				}
				x := make([]float32, rows*s.in)
				for i := range x {
					x[i] = 3 // every row at its own max: quantized to +A
				}
				y := make([]float32, rows*out)
				NewInt4(nibbles, scale, nil, out, s.in, s.group).Forward(y, x, rows)
				want := float64(int8(nib<<4)>>4) * float64(s.in) * 3
				for i, v := range y {
					if d := math.Abs(float64(v) - want); d > math.Abs(want)*1e-6 {
						t.Fatalf("y[%d] = %v, want %v", i, v, want)
					}
				}
			})
		}
	}
}

func TestNewInt4Panics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"group not a multiple of 4", func() { NewInt4(make([]byte, 4), make([]float32, 2), nil, 2, 3, 6) }},
		{"group too large", func() { NewInt4(make([]byte, 4), make([]float32, 2), nil, 2, 3, 16384) }},
		{"short nibbles", func() { NewInt4(make([]byte, 3), make([]float32, 2), nil, 2, 3, 16) }},
		{"short scale", func() { NewInt4(make([]byte, 4), make([]float32, 1), nil, 2, 3, 16) }},
		{"bad bias", func() { NewInt4(make([]byte, 4), make([]float32, 2), make([]float32, 3), 2, 3, 16) }},
		{"zero in", func() { NewInt4(nil, nil, nil, 2, 0, 16) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tc.f()
		})
	}
}
