package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestActLimit(t *testing.T) {
	for _, k := range []int{4, 384, 512, 516, 1152, 1536, 4096, maxQuantIn} {
		a := int64(actLimit(k))
		if a < 255 || a > math.MaxInt16 {
			t.Errorf("actLimit(%d) = %d, want within [255, 32767]", k, a)
		}
		// The bound of quantize_rows.go holds, and is tight unless capped.
		if 128*int64(k)*a > math.MaxInt32 {
			t.Errorf("actLimit(%d) = %d: 128·K·A = %d overflows int32", k, a, 128*int64(k)*a)
		}
		if a < math.MaxInt16 && 128*int64(k)*(a+1) <= math.MaxInt32 {
			t.Errorf("actLimit(%d) = %d is not the largest safe A", k, a)
		}
	}
}

// TestGemm4x8I16 checks the micro-kernel of the build against the scalar
// one, which it must match exactly, on random operands, on every extreme
// the overflow bound allows, and on the ldx > in of a wider x.
func TestGemm4x8I16(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, in := range []int{4, 8, 12, 36, 384, 388, 1536} {
		limit := actLimit(in)
		for _, fill := range []string{"random", "max", "min", "alternating"} {
			t.Run(fmt.Sprintf("in=%d/%s", in, fill), func(t *testing.T) {
				ldx := in
				x := make([]int16, 4*ldx)
				q := make([]int8, panelWidth*in)
				for i := range x {
					switch fill {
					case "random":
						x[i] = int16(rng.Int32N(2*limit+1) - limit)
					case "max", "min":
						x[i] = int16(limit)
					case "alternating":
						x[i] = int16(limit) * int16(1-2*(i/2%2))
					}
				}
				for i := range q {
					switch fill {
					case "random":
						q[i] = int8(rng.IntN(256) - 128)
					case "max":
						q[i] = 127
					case "min", "alternating":
						q[i] = -128
					}
				}
				rs := &[4]float32{1, 0.5, rng.Float32(), 1e-3}
				var got, want [4 * panelWidth]float32
				gemm4x8I16(&got, x, ldx, q, rs)
				gemm4x8I16Go(&want, x, ldx, q, in, rs)
				if got != want {
					t.Fatalf("got  %v\nwant %v", got, want)
				}
				if fill == "min" {
					// Every sum is the extreme -128·K·A, exact in f32
					// only up to rounding: compare with float64.
					exact := -128 * float64(in) * float64(limit)
					if d := math.Abs(float64(want[0]) - exact); d > math.Abs(exact)*1e-7 {
						t.Fatalf("c[0] = %v, want %v", want[0], exact)
					}
				}
			})
		}
	}
}

func TestQuantizeRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for _, s := range []struct{ rows, in int }{{1, 1}, {3, 5}, {4, 384}, {7, 1536}, {2, 33}} {
		t.Run(fmt.Sprintf("%dx%d", s.rows, s.in), func(t *testing.T) {
			ldq := (s.in + 3) &^ 3
			limit := actLimit(ldq)
			x := randSlice(rng, s.rows*s.in)
			for i := range x {
				x[i] *= float32(math.Exp(rng.NormFloat64() * 3)) // outliers
			}
			clear(x[:s.in]) // a zero row
			got, want := make([]int16, s.rows*ldq), make([]int16, s.rows*ldq)
			for i := range got {
				got[i] = -1 // padding must be overwritten with zeros
			}
			gs, ws := make([]float32, s.rows), make([]float32, s.rows)
			quantizeRows(got, gs, x, s.rows, s.in, ldq, limit)
			quantizeRowsRef(want, ws, x, s.rows, s.in, ldq, limit)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("xq[%d] = %d, want %d", i, got[i], want[i])
				}
			}
			for r := range gs {
				if gs[r] != ws[r] {
					t.Fatalf("scale[%d] = %v, want %v", r, gs[r], ws[r])
				}
				for k := 0; k < s.in; k++ {
					v, q := x[r*s.in+k], want[r*ldq+k]
					if int32(q) > limit || int32(q) < -limit {
						t.Fatalf("xq[%d][%d] = %d beyond ±%d", r, k, q, limit)
					}
					if d := math.Abs(float64(v) - float64(q)*float64(ws[r])); d > float64(ws[r])*0.5001 {
						t.Fatalf("x[%d][%d] = %v quantized to %d·%v", r, k, v, q, ws[r])
					}
				}
			}
		})
	}
}

// TestQuantizeRowsTies holds the rounding to nearest even on exact halves,
// of both signs and up to the limit, where the SIMD rounding (an f32 add of
// 1.5·2²³) and the reference (math.RoundToEven) could part.
func TestQuantizeRowsTies(t *testing.T) {
	const in = 40 // five SIMD blocks of 8, no tail
	limit := actLimit(in)
	x := make([]float32, in)
	x[0] = float32(limit) // max|x| = limit: the scale is 1, x·inv = x
	for k := 1; k < in; k++ {
		h := float32(k/2) + 0.5
		if k > in-5 {
			h = float32(limit) - float32(k-in+5) - 0.5
		}
		if k%2 == 1 {
			h = -h
		}
		x[k] = h
	}
	got, want := make([]int16, in), make([]int16, in)
	gs, ws := make([]float32, 1), make([]float32, 1)
	quantizeRows(got, gs, x, 1, in, in, limit)
	quantizeRowsRef(want, ws, x, 1, in, in, limit)
	if ws[0] != 1 {
		t.Fatalf("scale = %v, want 1", ws[0])
	}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("x[%d] = %v quantized to %d, want %d", k, x[k], got[k], want[k])
		}
		if v := float64(x[k]); math.Abs(v-float64(want[k])) != 0.5 && k > 0 {
			t.Fatalf("x[%d] = %v is no tie", k, x[k])
		}
	}
}

// TestInt8AtTheBound runs whole Linears at MiniLM's widths with every
// product at its largest magnitude, where an int32 overflow would flip a
// sign: each output must equal the float64 result.
func TestInt8AtTheBound(t *testing.T) {
	for _, in := range []int{384, 1536} {
		for _, w := range []int8{127, -128} {
			t.Run(fmt.Sprintf("in=%d/w=%d", in, w), func(t *testing.T) {
				const rows, out = 6, 9
				q := make([]int8, out*in)
				for i := range q {
					q[i] = w
				}
				scale := make([]float32, out)
				for i := range scale {
					scale[i] = 1
				}
				x := make([]float32, rows*in)
				for i := range x {
					x[i] = 3 // every row at its own max: quantized to +A
				}
				y := make([]float32, rows*out)
				NewInt8(q, scale, nil, out, in).Forward(y, x, rows)
				want := float64(w) * float64(in) * 3
				for i, v := range y {
					if d := math.Abs(float64(v) - want); d > math.Abs(want)*1e-6 {
						t.Fatalf("y[%d] = %v, want %v", i, v, want)
					}
				}
			})
		}
	}
}
