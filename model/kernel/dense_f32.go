package kernel

// denseF32 is a Linear over f32 weights packed into panels of panelWidth
// output columns: panel p holds W[p·8+j][k] at w[p·in·8 + k·8 + j], so the
// micro-kernel reads the weights of one k for all 8 columns as two
// consecutive vectors.
type denseF32 struct {
	w    []float32 // packed panels, zero-padded past out
	b    []float32 // bias padded to the panels
	out  int
	in   int
	gelu bool
}

// NewF32 returns a Linear over f32 weights w [out, in] (row-major) and bias b
// (nil for none). The weights are packed into a new buffer; w and b are not
// retained.
func NewF32(w, b []float32, out, in int, opts ...Option) Linear {
	checkShapes("NewF32", len(w), len(b), out, in)
	o := buildOptions(opts)
	np := panelCount(out)
	packed := make([]float32, np*in*panelWidth)
	for r := 0; r < out; r++ {
		p, j := r/panelWidth, r%panelWidth
		panel := packed[p*in*panelWidth:]
		for k, v := range w[r*in : (r+1)*in] {
			panel[k*panelWidth+j] = v
		}
	}
	return &denseF32{w: packed, b: paddedBias(b, out), out: out, in: in, gelu: o.gelu}
}

func (l *denseF32) In() int  { return l.in }
func (l *denseF32) Out() int { return l.out }

// Forward overwrites y[:rows·out] with x·Wᵀ + b (then GELU with WithGELU).
// It panics if x or y is shorter than rows rows.
func (l *denseF32) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, l.out, l.in)
	in, out := l.in, l.out
	var tile [4 * panelWidth]float32
	// Panels outside, rows inside: one panel (in·32 bytes) stays in cache
	// while every row of x streams past it.
	for p := 0; p < panelCount(out); p++ {
		panel := l.w[p*in*panelWidth : (p+1)*in*panelWidth]
		bias := l.b[p*panelWidth : (p+1)*panelWidth]
		c0 := p * panelWidth
		cols := min(panelWidth, out-c0)
		r := 0
		for ; r+4 <= rows; r += 4 {
			gemm4x8F32(&tile, x[r*in:(r+4)*in], in, panel, in)
			storeTile(y[r*out+c0:], out, tile[:], 4, cols, nil, bias)
		}
		for ; r < rows; r++ {
			gemm1x8F32((*[panelWidth]float32)(tile[:panelWidth]), x[r*in:(r+1)*in], panel, in)
			storeTile(y[r*out+c0:], out, tile[:], 1, cols, nil, bias)
		}
	}
	if l.gelu {
		GELU(y[:rows*out])
	}
}

// storeTileScalar writes rows×cols of a 4×8 tile to y (row stride ldy) as
// tile·scale + bias; scale nil means 1. storeTile is this, or on wasm SIMD a
// vector version for full panels.
func storeTileScalar(y []float32, ldy int, tile []float32, rows, cols int, scale, bias []float32) {
	for r := 0; r < rows; r++ {
		yr := y[r*ldy : r*ldy+cols]
		t := tile[r*panelWidth : r*panelWidth+cols]
		if scale == nil {
			for j := range yr {
				yr[j] = t[j] + bias[j]
			}
			continue
		}
		for j := range yr {
			yr[j] = t[j]*scale[j] + bias[j]
		}
	}
}
