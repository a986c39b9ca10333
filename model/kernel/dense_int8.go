package kernel

import (
	"sync"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// denseInt8 is a Linear over int8 weights with one f32 scale per output row,
// computed in integers: each Forward quantizes the rows of x to int16 (one
// scale per row, see quantize_rows.go), the micro-kernel sums int16×int8
// products in int32, and the epilogue applies row scale × column scale and
// the bias. W is never materialized in f32.
//
// The panels hold 8 output columns like denseF32's, but k goes in pairs, the
// operand layout of i32x4.dot_i16x8_s: pair t of panel p is 16 bytes,
// q[p·in'·8 + t·16 + j·2 + e] = Q[p·8+j][2t+e], with in' = in rounded up to
// a multiple of 4 (so the kernel's k loop, two pairs per step, has no tail)
// and zeros past in.
type denseInt8 struct {
	q       []int8
	scale   []float32 // padded to the panels, zeros past out
	b       []float32
	out     int
	in      int
	ldq     int   // in', the padded row length of x's int16 copy and of the panels
	limit   int32 // actLimit(ldq)
	gelu    bool
	scratch sync.Pool // *int8Scratch, so Forward stays safe for concurrent use
}

// int8Scratch is one Forward's quantized x: rows rounded up to the 4-row
// tile (zero rows past the real ones) and one scale per row.
type int8Scratch struct {
	xq    []int16
	scale []float32
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
		q: packed, scale: paddedBias(scale, out), b: paddedBias(b, out),
		out: out, in: in, ldq: ldq, limit: actLimit(ldq), gelu: o.gelu,
	}
}

func (l *denseInt8) In() int  { return l.in }
func (l *denseInt8) Out() int { return l.out }

// Forward overwrites y[:rows·out] with x·Wᵀ + b (then GELU with WithGELU).
// It panics if x or y is shorter than rows rows.
func (l *denseInt8) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, l.out, l.in)
	l.forwardStrided(y, l.out, x, rows)
}

// forwardStrided is Forward writing row r of y at y[r·ldy:], for Concat;
// the caller has checked the lengths.
func (l *denseInt8) forwardStrided(y []float32, ldy int, x []float32, rows int) {
	if rows == 0 {
		return
	}
	in, out, ldq := l.in, l.out, l.ldq
	// A last partial tile runs through the 4-row kernel on zero rows, and
	// only its real rows are stored: one kernel instead of two, for at most
	// 3 wasted rows a call.
	tiles := (rows + 3) / 4
	s := getScratch(&l.scratch, tiles*4, ldq)
	quantizeRows(s.xq, s.scale, x, rows, in, ldq, l.limit)
	var tile [4 * panelWidth]float32
	// Panels outside, rows inside: one panel (ldq·8 bytes) stays in cache
	// while every row of x streams past it.
	for p := 0; p < panelCount(out); p++ {
		panel := l.q[p*ldq*panelWidth : (p+1)*ldq*panelWidth]
		scale := l.scale[p*panelWidth : (p+1)*panelWidth]
		bias := l.b[p*panelWidth : (p+1)*panelWidth]
		c0 := p * panelWidth
		cols := min(panelWidth, out-c0)
		for t := 0; t < tiles; t++ {
			r := 4 * t
			gemm4x8I16(&tile, s.xq[r*ldq:(r+4)*ldq], ldq, panel, (*[4]float32)(s.scale[r:r+4]))
			storeTile(y[r*ldy+c0:], ldy, tile[:], min(4, rows-r), cols, scale, bias)
		}
	}
	l.scratch.Put(s)
	if l.gelu {
		geluRows(y, ldy, out, rows)
	}
}

// getScratch returns a scratch from pool for rows (a multiple of 4) rows of
// ldq values. The rows past the ones quantizeRows writes hold whatever an
// earlier Forward left: the kernel computes them, but they are never stored.
func getScratch(pool *sync.Pool, rows, ldq int) *int8Scratch {
	s, _ := pool.Get().(*int8Scratch)
	if s == nil {
		s = new(int8Scratch)
	}
	if n := rows * ldq; len(s.xq) < n {
		s.xq = make([]int16, n)
		s.scale = make([]float32, rows)
	}
	return s
}
