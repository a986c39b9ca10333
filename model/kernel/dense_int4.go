package kernel

import (
	"math"
	"sync"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// denseInt4 is a Linear over int4 weights with one f32 scale per group of
// input columns, computed like denseInt8 without ever widening W to f32:
// each Forward quantizes x's rows to int16, the micro-kernel sums a group's
// int16×int4 products in int32, multiplies the sum by the group's scale and
// adds it up in f32, and the epilogue applies the row scale and the bias.
//
// The weights stay nibbles, widened in the micro-kernel: on wasm one
// v128.load8x8_s and three i16x8 shifts per pair where int8 panels take two
// load8x8_s, against 40 other instructions per two pairs, for half the
// bytes of int8 panels.
//
// Layout: panels of 8 output columns as denseInt8's, k in pairs. Pair t of
// panel p is 8 bytes; weight i of the pair (i = j·2 + e, column p·8+j, input
// 2t+e, the int8 pair order) sits in byte i%8, in its low nibble for i < 8
// and its high nibble for i ≥ 8. Sign-extending the 8 bytes to int16 lanes
// then gives columns 4-7 by an arithmetic shift right by 4 and columns 0-3
// by a shift left by 12 and right by 12. Rows are padded to ldq, in rounded
// up to a whole group, with zero weights.
type denseInt4 struct {
	q       []byte
	gscale  []float32 // [panel][group][8]: the scale of each group of each column, zeros past out
	b       []float32
	out     int
	in      int
	ldq     int // in rounded up to a multiple of group
	group   int
	limit   int32 // int4ActLimit(group)
	gelu    bool
	scratch sync.Pool // *int8Scratch
}

// int4ActLimit returns A, the largest |x_q| for which the int32 sum of one
// group of int16×int4 products cannot overflow. With |w| ≤ 8 (int4's -8)
// a group of G terms sums to at most 8·G·A in any order, which fits in int32
// when A ≤ (2³¹−1)/(8·G); the sums of different groups meet only in f32.
// So unlike actLimit, A does not shrink with the input width: full int16
// for every G ≤ 8192 (MiniLM's 16), whatever in is.
func int4ActLimit(group int) int32 {
	return int32(min(math.MaxInt16, math.MaxInt32/(8*group)))
}

// MaxInt4Group is the largest group size NewInt4 takes (see int4ActLimit).
const MaxInt4Group = 8192

// Int4Group reports whether NewInt4 takes group size group.
func Int4Group(group int) bool { return group > 0 && group%4 == 0 && group <= MaxInt4Group }

// NewInt4 returns a Linear over int4 weights in the model file's i4 layout
// (docs/model-format.md): per row ⌈in/2⌉ bytes of two's-complement nibbles,
// column 2k in the low nibble of byte k, and scale[r·G + c/group] for
// W[r][c], G = ⌈in/group⌉. b is the bias (nil for none). The weights are
// repacked into new buffers; nibbles, scale and b are not retained. group
// must be a positive multiple of 4 (the micro-kernel's k step) and at most
// MaxInt4Group.
func NewInt4(nibbles []byte, scale, b []float32, out, in, group int, opts ...Option) Linear {
	if !Int4Group(group) {
		panic(errfmt.Sprintf("kernel: NewInt4: group=%d, want a multiple of 4 up to %d", group, MaxInt4Group))
	}
	checkShapes("NewInt4", out*in, len(b), out, in)
	rowBytes, groups := (in+1)/2, (in+group-1)/group
	if len(nibbles) != out*rowBytes || len(scale) != out*groups {
		panic(errfmt.Sprintf("kernel: NewInt4: %d bytes and %d scales, want %d and %d",
			len(nibbles), len(scale), out*rowBytes, out*groups))
	}
	o := buildOptions(opts)
	ldq := groups * group
	packed := make([]byte, panelCount(out)*ldq*panelWidth/2)
	gscale := make([]float32, panelCount(out)*groups*panelWidth)
	for r := 0; r < out; r++ {
		p, j := r/panelWidth, r%panelWidth
		panel := packed[p*ldq*panelWidth/2:]
		row := nibbles[r*rowBytes : (r+1)*rowBytes]
		for k := 0; k < in; k++ {
			v := row[k/2] >> (4 * (k % 2)) & 0xf
			i := j*2 + k%2
			panel[k/2*panelWidth+i%8] |= v << (4 * (i / 8))
		}
		for g := 0; g < groups; g++ {
			gscale[(p*groups+g)*panelWidth+j] = scale[r*groups+g]
		}
	}
	return &denseInt4{
		q: packed, gscale: gscale, b: paddedBias(b, out),
		out: out, in: in, ldq: ldq, group: group, limit: int4ActLimit(group), gelu: o.gelu,
	}
}

func (l *denseInt4) In() int  { return l.in }
func (l *denseInt4) Out() int { return l.out }

// Forward overwrites y[:rows·out] with x·Wᵀ + b (then GELU with WithGELU).
// It panics if x or y is shorter than rows rows. Tiles and panels go as in
// denseInt8.Forward.
func (l *denseInt4) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, l.out, l.in)
	l.forwardStrided(y, l.out, x, rows)
}

// forwardStrided is Forward writing row r of y at y[r·ldy:], for Concat;
// the caller has checked the lengths.
func (l *denseInt4) forwardStrided(y []float32, ldy int, x []float32, rows int) {
	if rows == 0 {
		return
	}
	out, ldq := l.out, l.ldq
	tiles := (rows + 3) / 4
	s := getScratch(&l.scratch, tiles*4, ldq)
	quantizeRows(s.xq, s.scale, x, rows, l.in, ldq, l.limit)
	groups := ldq / l.group
	var tile [4 * panelWidth]float32
	for p := 0; p < panelCount(out); p++ {
		panel := l.q[p*ldq*panelWidth/2 : (p+1)*ldq*panelWidth/2]
		gscale := l.gscale[p*groups*panelWidth : (p+1)*groups*panelWidth]
		bias := l.b[p*panelWidth : (p+1)*panelWidth]
		c0 := p * panelWidth
		cols := min(panelWidth, out-c0)
		for t := 0; t < tiles; t++ {
			r := 4 * t
			gemm4x8I4(&tile, s.xq[r*ldq:(r+4)*ldq], ldq, panel, gscale, l.group, (*[4]float32)(s.scale[r:r+4]))
			storeTile(y[r*ldy+c0:], ldy, tile[:], min(4, rows-r), cols, nil, bias)
		}
	}
	l.scratch.Put(s)
	if l.gelu {
		geluRows(y, ldy, out, rows)
	}
}
