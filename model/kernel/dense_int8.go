package kernel

import "github.com/wasmbert/wasmbert/internal/errfmt"

// denseInt8 is a Linear over int8 weights with one f32 scale per output row,
// computed in integers: each Forward quantizes the rows of x to int16 (one
// scale per row, see quantize_rows.go), the micro-kernel sums int16×int8
// products in int32, and the epilogue applies row scale × column scale and
// the bias. W is never materialized in f32.
//
// The panels hold 8 output columns like denseF32's, but k goes in pairs, the
// operand layout of i32x4.dot_i16x8_s: pair t of panel p is 16 bytes,
// q[p·in'·8 + t·16 + j·2 + e] = Q[p·8+j][2t+e], with in' = in rounded up to
// a multiple of 4 and zeros past in. The kernels need only whole pairs; 4 was
// the two pairs a step of an earlier wasm kernel, and stays because
// actLimit(in'), and with it every quantized activation, depends on it.
type denseInt8 struct {
	quantLinear // ldq = in', limit = actLimit(ldq)
	q           []int8
	scale       []float32 // padded to the panels, zeros past out
}

// NewInt8 returns a Linear over int8 weights q [out, in] with one f32 scale
// per output row (W[o][k] = q[o][k]·scale[o]) and bias b (nil for none).
// The weights are packed into a new buffer; q, scale and b are not retained.
// in may be at most 65536 (see actLimit).
func NewInt8(q []int8, scale, b []float32, out, in int, opts ...Option) Linear {
	checkShapes("NewInt8", len(q), len(b), out, in)
	if len(scale) != out {
		panic(errfmt.Sprintf("kernel: NewInt8: len(scale)=%d, want out=%d", len(scale), out))
	}
	if in > maxQuantIn {
		panic(errfmt.Sprintf("kernel: NewInt8: in=%d exceeds %d", in, maxQuantIn))
	}
	o := buildOptions(opts)
	ldq := (in + 3) &^ 3
	packed := make([]int8, panelCount(out)*ldq*panelWidth)
	for r := 0; r < out; r++ {
		p, j := r/panelWidth, r%panelWidth
		panel := packed[p*ldq*panelWidth:]
		for k, v := range q[r*in : (r+1)*in] {
			panel[k/2*2*panelWidth+j*2+k%2] = v
		}
	}
	return &denseInt8{
		quantLinear: quantLinear{b: paddedBias(b, out), out: out, in: in, ldq: ldq, limit: actLimit(ldq), gelu: o.gelu},
		q:           packed, scale: paddedBias(scale, out),
	}
}

// Forward overwrites y[:rows·out] with x·Wᵀ + b (then GELU with WithGELU).
// It panics if x or y is shorter than rows rows.
func (l *denseInt8) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, l.out, l.in)
	l.forward(l, y, l.out, x, rows)
}

func (l *denseInt8) forwardStrided(y []float32, ldy int, x []float32, rows int) {
	l.forward(l, y, ldy, x, rows)
}

func (l *denseInt8) panel(s *int8Scratch, p, tiles int) {
	n := l.ldq * panelWidth
	if len(s.wide) < n {
		s.wide = make([]int16, n)
	}
	gemmTilesI16(s.tiles, s.xq, l.ldq, l.q[p*n:(p+1)*n], s.scale, tiles, s.wide)
}

func (l *denseInt8) colScale(p int) []float32 { return l.scale[p*panelWidth : (p+1)*panelWidth] }
