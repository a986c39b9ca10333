package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randPart returns a random Part of rows rows: int8 for group 0, else int4.
func randPart(rng *rand.Rand, rows, in, group int, bias bool) Part {
	p := Part{Rows: rows, Group: group}
	if group == 0 {
		p.Q, p.Scale = randInt8(rng, rows*in), randSlice(rng, rows)
	} else {
		p.Nibbles, p.Scale = randInt4(rng, rows, in, group)
	}
	if bias {
		p.Bias = randSlice(rng, rows)
	}
	return p
}

// TestStack checks that each part of a Stack writes, bit for bit, what it
// writes as a Linear of its own, in its own columns, and nothing past
// rows·out.
func TestStack(t *testing.T) {
	rng := rand.New(rand.NewPCG(50, 51))
	for _, s := range []struct{ rows, in int }{{0, 5}, {1, 5}, {5, 17}, {7, 384}} {
		for _, gelu := range []bool{false, true} {
			t.Run(fmt.Sprintf("%dx%d/gelu=%v", s.rows, s.in, gelu), func(t *testing.T) {
				var opts []Option
				if gelu {
					opts = append(opts, WithGELU())
				}
				parts := []Part{
					randPart(rng, 13, s.in, 16, true), randPart(rng, 8, s.in, 16, false),
					randPart(rng, 9, s.in, 0, true), randPart(rng, 5, s.in, 0, false),
					randPart(rng, 8, s.in, 4, true),
				}
				l := Stack(parts, s.in, opts...)
				if l.In() != s.in || l.Out() != 43 {
					t.Fatalf("In, Out = %d, %d; want %d, 43", l.In(), l.Out(), s.in)
				}
				x := randSlice(rng, s.rows*s.in)
				got := newOutput(s.rows * l.Out())
				l.Forward(got, x, s.rows)
				off := 0
				for i, p := range parts {
					var alone Linear
					if p.Q != nil {
						alone = NewInt8(p.Q, p.Scale, p.Bias, p.Rows, s.in, opts...)
					} else {
						alone = NewInt4(p.Nibbles, p.Scale, p.Bias, p.Rows, s.in, p.Group, opts...)
					}
					want := make([]float32, s.rows*p.Rows)
					alone.Forward(want, x, s.rows)
					for r := 0; r < s.rows; r++ {
						sameBits(t, fmt.Sprintf("part %d row %d", i, r), got[r*l.Out()+off:r*l.Out()+off+p.Rows], want[r*p.Rows:(r+1)*p.Rows])
					}
					off += p.Rows
				}
				for i := s.rows * l.Out(); i < len(got); i++ {
					if got[i] != sentinel {
						t.Fatalf("y[%d] past rows·out was overwritten: %v", i, got[i])
					}
				}
			})
		}
	}
}

func TestStackPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(52, 53))
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"no parts", func() { Stack(nil, 3) }},
		{"no weights", func() { Stack([]Part{{Scale: []float32{1}, Rows: 1}}, 3) }},
		{"wrong width", func() { Stack([]Part{randPart(rng, 2, 3, 0, false)}, 4) }},
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
