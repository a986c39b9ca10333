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
				fillActivations(rng, x, fill, limit)
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

// TestGemmTilesI16 checks the many-tile entry point, whichever kernel it
// picks for the tile count (on wasm, from widenMinTiles = 4 tiles on, the
// panel is widened to int16 first), against the scalar kernel tile by tile, on
// random operands and on the extremes the overflow bound allows.
func TestGemmTilesI16(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	for _, in := range []int{4, 12, 36, 388, 1536} {
		limit := actLimit(in)
		for _, tiles := range []int{1, 3, 4, 5, 11} {
			for _, fill := range []string{"random", "min"} {
				t.Run(fmt.Sprintf("in=%d/tiles=%d/%s", in, tiles, fill), func(t *testing.T) {
					x := make([]int16, 4*tiles*in)
					q := make([]int8, panelWidth*in)
					for i := range x {
						x[i] = int16(limit)
						if fill == "random" {
							x[i] = int16(rng.Int32N(2*limit+1) - limit)
						}
					}
					for i := range q {
						q[i] = -128
						if fill == "random" {
							q[i] = int8(rng.IntN(256) - 128)
						}
					}
					rs := randSlice(rng, 4*tiles)
					got := make([]float32, 4*panelWidth*tiles)
					wide := make([]int16, panelWidth*in)
					gemmTilesI16(got, x, in, q, rs, tiles, wide)
					for tile := 0; tile < tiles; tile++ {
						var want [4 * panelWidth]float32
						gemm4x8I16Go(&want, x[4*tile*in:], in, q, in, (*[4]float32)(rs[4*tile:]))
						sameBits(t, fmt.Sprintf("tile %d", tile), got[4*panelWidth*tile:], want[:])
					}
				})
			}
		}
	}
}

// TestInt8ManyTiles runs the int8 Linear on enough rows for the many-tile
// path and on odd shapes (rows not a multiple of 4, out not of 8, in not of
// 4): every row must come out as it does alone, through one tile, and
// match LinearRef within the activations' quantization step.
func TestInt8ManyTiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	for _, s := range []struct{ rows, out, in int }{{37, 13, 33}, {16, 8, 384}, {45, 21, 1538}} {
		t.Run(fmt.Sprintf("%dx%dx%d", s.rows, s.out, s.in), func(t *testing.T) {
			q, scale, b := randInt8(rng, s.out*s.in), randSlice(rng, s.out), randSlice(rng, s.out)
			for i := range scale {
				scale[i] = (scale[i] + 1.5) / 127
			}
			l := NewInt8(q, scale, b, s.out, s.in)
			x := randSlice(rng, s.rows*s.in)
			all := make([]float32, s.rows*s.out)
			l.Forward(all, x, s.rows)
			one := make([]float32, s.out)
			for r := 0; r < s.rows; r++ {
				l.Forward(one, x[r*s.in:(r+1)*s.in], 1)
				sameBits(t, fmt.Sprintf("row %d", r), all[r*s.out:(r+1)*s.out], one)
			}
			w := make([]float32, s.out*s.in)
			for o := 0; o < s.out; o++ {
				for k := 0; k < s.in; k++ {
					w[o*s.in+k] = float32(q[o*s.in+k]) * scale[o]
				}
			}
			want := make([]float32, s.rows*s.out)
			LinearRef(want, x, w, b, s.rows, s.out, s.in)
			checkLinear(t, all, want, x, w, b, s.rows, s.out, s.in, quantSteps(x, s.rows, s.in))
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

// fillActivations fills x, quantized activations within ±limit, as the
// overflow tests' fill names them: random, all at the bound ("max" and
// "min": the weights carry the sign), or alternating pairs of ±limit.
func fillActivations(rng *rand.Rand, x []int16, fill string, limit int32) {
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
}
