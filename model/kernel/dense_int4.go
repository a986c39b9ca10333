package kernel

import "math"

// denseInt4 is a Linear over int4 weights with one f32 scale per group of
// input columns, computed like denseInt8 without ever widening W to f32:
// each Forward quantizes x's rows to int16, the micro-kernel sums a group's
// int16×int4 products in int32, multiplies the sum by the group's scale and
// adds it up in f32, and the epilogue applies the row scale and the bias.
//
// The weights stay nibbles, widened in the micro-kernel (one v128.load8x8_s
// and three i16x8 shifts per pair on wasm, where int8 panels take two
// loads): half the bytes of int8 panels at the same speed, 36.6 against
// 37.4 GFLOP/cpu-s at 128×384×1536 for a build that widened to int8 panels
// at load (BenchmarkLinear, Node). The gap to the int8 Linear (48) is the
// per-group epilogue.
//
// Layout: panels of 8 output columns as denseInt8's, k in pairs. Pair t of
// panel p is 8 bytes; weight i of the pair (i = j·2 + e, column p·8+j, input
// 2t+e, the int8 pair order) sits in byte i%8, in its low nibble for i < 8
// and its high nibble for i ≥ 8. Sign-extending the 8 bytes to int16 lanes
// then gives columns 4-7 by an arithmetic shift right by 4 and columns 0-3
// by a shift left by 12 and right by 12. Rows are padded to ldq, in rounded
// up to a whole group, with zero weights.
type denseInt4 struct {
	quantLinear // ldq = in rounded up to a multiple of group, limit = int4ActLimit(group)
	q           []byte
	gscale      []float32 // [panel][group][8]: the scale of each group of each column, zeros past out
	group       int
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
	// Plain messages: the wasm engine's size budget counts every formatted
	// argument, and these are programming errors.
	if !Int4Group(group) {
		panic("kernel: NewInt4: group not a multiple of 4 up to MaxInt4Group")
	}
	checkShapes("NewInt4", out*in, len(b), out, in)
	rowBytes, groups := (in+1)/2, (in+group-1)/group
	if len(nibbles) != out*rowBytes || len(scale) != out*groups {
		panic("kernel: NewInt4: nibbles or scales do not match out×in")
	}
	o := buildOptions(opts)
	ldq := groups * group
	packed := make([]byte, panelCount(out)*ldq*panelWidth/2)
	gscale := make([]float32, panelCount(out)*groups*panelWidth)
	for r := 0; r < out; r++ {
		p, j := r/panelWidth, r%panelWidth
		// Column j's weights are 2j and 2j+1 of each pair: the low nibbles
		// of bytes 2j and 2j+1 for j < 4, else the high nibbles of bytes
		// 2j-8 and 2j-7. A padding nibble of an odd in meets a zero of x.
		panel, shift := packed[p*ldq*panelWidth/2+2*(j%4):], 4*(j/4)
		for t, v := range nibbles[r*rowBytes : (r+1)*rowBytes] {
			panel[t*panelWidth] |= v & 0xf << shift
			panel[t*panelWidth+1] |= v >> 4 << shift
		}
		for g := 0; g < groups; g++ {
			gscale[(p*groups+g)*panelWidth+j] = scale[r*groups+g]
		}
	}
	return &denseInt4{
		quantLinear: quantLinear{b: paddedBias(b, out), out: out, in: in, ldq: ldq, limit: int4ActLimit(group), gelu: o.gelu},
		q:           packed, gscale: gscale, group: group,
	}
}

// Forward overwrites y[:rows·out] with x·Wᵀ + b (then GELU with WithGELU).
// It panics if x or y is shorter than rows rows.
func (l *denseInt4) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, l.out, l.in)
	l.forward(l, y, l.out, x, rows)
}

func (l *denseInt4) forwardStrided(y []float32, ldy int, x []float32, rows int) {
	l.forward(l, y, ldy, x, rows)
}

func (l *denseInt4) panel(s *int8Scratch, p, tiles int) {
	n, g := l.ldq*panelWidth/2, l.ldq/l.group*panelWidth
	q, gscale := l.q[p*n:(p+1)*n], l.gscale[p*g:(p+1)*g]
	for t := 0; t < tiles; t++ {
		gemm4x8I4((*[4 * panelWidth]float32)(s.tiles[4*panelWidth*t:]), s.xq[4*t*l.ldq:], l.ldq, q, gscale, l.group, (*[4]float32)(s.scale[4*t:]))
	}
}

func (l *denseInt4) colScale(int) []float32 { return nil }
