package kernel

import "github.com/wasmbert/wasmbert/internal/errfmt"

// denseInt8 is a Linear over int8 weights with one f32 scale per output row,
// packed into panels exactly like denseF32 (q[p·in·8 + k·8 + j] =
// Q[p·8+j][k]). The micro-kernel accumulates q·x in f32 and the epilogue
// multiplies by the row scale, so W is never materialized in f32.
type denseInt8 struct {
	q     []int8
	scale []float32 // padded to the panels, zeros past out
	b     []float32
	out   int
	in    int
	gelu  bool
}

// NewInt8 returns a Linear over int8 weights q [out, in] with one f32 scale
// per output row (W[o][k] = q[o][k]·scale[o]) and bias b (nil for none).
// The weights are packed into a new buffer; q, scale and b are not retained.
func NewInt8(q []int8, scale, b []float32, out, in int, opts ...Option) Linear {
	checkShapes("NewInt8", len(q), len(b), out, in)
	if len(scale) != out {
		panic(errfmt.Sprintf("kernel: NewInt8: len(scale)=%d, want out=%d", len(scale), out))
	}
	o := buildOptions(opts)
	np := panelCount(out)
	packed := make([]int8, np*in*panelWidth)
	for r := 0; r < out; r++ {
		p, j := r/panelWidth, r%panelWidth
		panel := packed[p*in*panelWidth:]
		for k, v := range q[r*in : (r+1)*in] {
			panel[k*panelWidth+j] = v
		}
	}
	return &denseInt8{q: packed, scale: paddedBias(scale, out), b: paddedBias(b, out), out: out, in: in, gelu: o.gelu}
}

func (l *denseInt8) In() int  { return l.in }
func (l *denseInt8) Out() int { return l.out }

// Forward overwrites y[:rows·out] with x·Wᵀ + b (then GELU with WithGELU).
// It panics if x or y is shorter than rows rows.
func (l *denseInt8) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, l.out, l.in)
	in, out := l.in, l.out
	var tile [4 * panelWidth]float32
	for p := 0; p < panelCount(out); p++ {
		panel := l.q[p*in*panelWidth : (p+1)*in*panelWidth]
		scale := l.scale[p*panelWidth : (p+1)*panelWidth]
		bias := l.b[p*panelWidth : (p+1)*panelWidth]
		c0 := p * panelWidth
		cols := min(panelWidth, out-c0)
		r := 0
		for ; r+4 <= rows; r += 4 {
			gemm4x8Int8(&tile, x[r*in:(r+4)*in], panel, in)
			storeTile(y[r*out+c0:], out, tile[:], 4, cols, scale, bias)
		}
		for ; r < rows; r++ {
			gemm1x8Int8((*[panelWidth]float32)(tile[:panelWidth]), x[r*in:(r+1)*in], panel, in)
			storeTile(y[r*out+c0:], out, tile[:], 1, cols, scale, bias)
		}
	}
	if l.gelu {
		GELU(y[:rows*out])
	}
}
