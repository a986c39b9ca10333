package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

func randInt8(rng *rand.Rand, n int) []int8 {
	s := make([]int8, n)
	for i := range s {
		s[i] = int8(rng.IntN(255) - 127)
	}
	return s
}

// gemmShapes covers odd sizes around every blocking boundary (rows vs the 4-row
// tile, out vs the 8-column panel, in odd vs the k loop) and the MiniLM
// layer shapes.
var gemmShapes = []struct{ rows, out, in int }{
	{1, 1, 1}, {2, 3, 1}, {3, 7, 3}, {4, 8, 2}, {5, 9, 7}, {6, 15, 33},
	{7, 16, 32}, {8, 17, 383}, {9, 33, 5}, {4, 383, 33}, {1, 384, 384},
	{9, 1, 383}, {0, 8, 8},
	{5, 384, 384}, {13, 1152, 384}, {6, 1536, 384}, {7, 384, 1536},
}

// linearTol is the allowed |y-ref| per element: relative to Σ_k|x_k·w_k|+|b|,
// the scale float32 rounding errors grow with, whatever the summation order.
const linearTol = 1e-5

// checkLinear compares got with want element by element within linearTol.
// step, when not nil, is each row's activation quantization step (the int8
// Linear rounds x[r][k] to a multiple of step[r]), which moves y[r][o] by at
// most Σ_k|w[o][k]|·step[r]/2 on top.
func checkLinear(t *testing.T, got, want, x, w, b []float32, rows, out, in int, step []float32) {
	t.Helper()
	for r := 0; r < rows; r++ {
		for o := 0; o < out; o++ {
			var mag, wabs float64
			for k := 0; k < in; k++ {
				mag += math.Abs(float64(x[r*in+k]) * float64(w[o*in+k]))
				wabs += math.Abs(float64(w[o*in+k]))
			}
			if b != nil {
				mag += math.Abs(float64(b[o]))
			}
			tol := linearTol * mag
			if step != nil {
				tol += wabs * float64(step[r]) / 2
			}
			g, wv := got[r*out+o], want[r*out+o]
			if d := math.Abs(float64(g - wv)); d > tol || math.IsNaN(float64(g)) {
				t.Fatalf("y[%d,%d] = %v, want %v (|diff| %.3g > %.3g)", r, o, g, wv, d, tol)
			}
		}
	}
	for i := rows * out; i < len(got); i++ {
		if got[i] != sentinel {
			t.Fatalf("y[%d] past rows·out was overwritten: %v", i, got[i])
		}
	}
}

const sentinel = 12345

func newOutput(n int) []float32 {
	y := make([]float32, n+5)
	for i := range y {
		y[i] = sentinel
	}
	return y
}

func TestNewF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range gemmShapes {
		for _, bias := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%dx%d/bias=%v", s.rows, s.out, s.in, bias), func(t *testing.T) {
				x, w := randSlice(rng, s.rows*s.in), randSlice(rng, s.out*s.in)
				var b []float32
				if bias {
					b = randSlice(rng, s.out)
				}
				l := NewF32(w, b, s.out, s.in)
				if l.In() != s.in || l.Out() != s.out {
					t.Fatalf("In, Out = %d, %d; want %d, %d", l.In(), l.Out(), s.in, s.out)
				}
				got, want := newOutput(s.rows*s.out), make([]float32, s.rows*s.out)
				l.Forward(got, x, s.rows)
				LinearRef(want, x, w, b, s.rows, s.out, s.in)
				checkLinear(t, got, want, x, w, b, s.rows, s.out, s.in, nil)
			})
		}
	}
}

func TestNewInt8(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range gemmShapes {
		t.Run(fmt.Sprintf("%dx%dx%d", s.rows, s.out, s.in), func(t *testing.T) {
			x, q := randSlice(rng, s.rows*s.in), randInt8(rng, s.out*s.in)
			scale, b := randSlice(rng, s.out), randSlice(rng, s.out)
			for i := range scale {
				scale[i] = (scale[i] + 1.5) / 127
			}
			w := make([]float32, len(q))
			for o := 0; o < s.out; o++ {
				for k := 0; k < s.in; k++ {
					w[o*s.in+k] = float32(q[o*s.in+k]) * scale[o]
				}
			}
			l := NewInt8(q, scale, b, s.out, s.in)
			got, want := newOutput(s.rows*s.out), make([]float32, s.rows*s.out)
			l.Forward(got, x, s.rows)
			LinearRef(want, x, w, b, s.rows, s.out, s.in)
			checkLinear(t, got, want, x, w, b, s.rows, s.out, s.in, quantSteps(x, s.rows, s.in))
		})
	}
}

// quantSteps returns the activation quantization step of each row of x as
// the int8 Linear picks it: max|x[r]| over actLimit of the padded width.
func quantSteps(x []float32, rows, in int) []float32 {
	step := make([]float32, rows)
	limit := float64(actLimit((in + 3) &^ 3))
	for r := range step {
		var m float64
		for _, v := range x[r*in : (r+1)*in] {
			m = max(m, math.Abs(float64(v)))
		}
		// The step in float32 can be a rounding above m/limit.
		step[r] = float32(m / limit * (1 + 1e-6))
	}
	return step
}

func TestWithGELU(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const rows, out, in = 5, 37, 19
	x, w, b := randSlice(rng, rows*in), randSlice(rng, out*in), randSlice(rng, out)
	q, scale := randInt8(rng, out*in), randSlice(rng, out)
	nibbles, gscale := randInt4(rng, out, in, 16)
	for _, tc := range []struct {
		name string
		l    Linear
		ref  Linear
	}{
		{"f32", NewF32(w, b, out, in, WithGELU()), NewF32(w, b, out, in)},
		{"int8", NewInt8(q, scale, b, out, in, WithGELU()), NewInt8(q, scale, b, out, in)},
		{"int4", NewInt4(nibbles, gscale, b, out, in, 16, WithGELU()), NewInt4(nibbles, gscale, b, out, in, 16)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, want := make([]float32, rows*out), make([]float32, rows*out)
			tc.l.Forward(got, x, rows)
			tc.ref.Forward(want, x, rows)
			GELURef(want)
			for i := range got {
				if d := math.Abs(float64(got[i] - want[i])); d > geluTol*max(1, math.Abs(float64(want[i]))) {
					t.Fatalf("y[%d] = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestLinearShapePanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"NewF32 short w", func() { NewF32(make([]float32, 5), nil, 2, 3) }},
		{"NewF32 bad bias", func() { NewF32(make([]float32, 6), make([]float32, 3), 2, 3) }},
		{"NewF32 zero out", func() { NewF32(nil, nil, 0, 3) }},
		{"NewInt8 short scale", func() { NewInt8(make([]int8, 6), make([]float32, 1), nil, 2, 3) }},
		{"Forward short x", func() { NewF32(make([]float32, 6), nil, 2, 3).Forward(make([]float32, 4), make([]float32, 5), 2) }},
		{"Forward short y", func() { NewF32(make([]float32, 6), nil, 2, 3).Forward(make([]float32, 3), make([]float32, 6), 2) }},
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

func TestForwardDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const rows, out, in = 6, 20, 13
	x, y := randSlice(rng, rows*in), make([]float32, rows*out)
	for _, l := range []Linear{
		NewF32(randSlice(rng, out*in), nil, out, in, WithGELU()),
		NewInt8(randInt8(rng, out*in), randSlice(rng, out), nil, out, in),
		newRandInt4(rng, out, in, 4),
	} {
		if n := testing.AllocsPerRun(10, func() { l.Forward(y, x, rows) }); n != 0 {
			t.Errorf("%T.Forward: %v allocations per call, want 0", l, n)
		}
	}
}

// newRandInt4 returns an int4 Linear with random weights and bias.
func newRandInt4(rng *rand.Rand, out, in, group int, opts ...Option) Linear {
	nibbles, scale := randInt4(rng, out, in, group)
	return NewInt4(nibbles, scale, randSlice(rng, out), out, in, group, opts...)
}
