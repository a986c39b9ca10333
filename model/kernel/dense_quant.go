package kernel

import "sync"

// quantLinear is what the integer Linears (denseInt8, denseInt4) share:
// x's rows quantized to int16 with row stride ldq and bound limit, the
// bias, the options, and the tile loop around their micro-kernels.
type quantLinear struct {
	b       []float32 // padded to the panels, zeros past out
	out     int
	in      int
	ldq     int // the padded row length of x's int16 copy and of the panels
	limit   int32
	gelu    bool
	scratch sync.Pool // *int8Scratch, so Forward stays safe for concurrent use
}

// int8Scratch is one Forward's quantized x: rows rounded up to the 4-row
// tile (zero rows past the real ones) and one scale per row.
type int8Scratch struct {
	xq    []int16
	scale []float32
	tile  [4 * panelWidth]float32 // here, not on the stack: it escapes through panelKernel
}

// panelKernel is an integer Linear's micro-kernel: tile sets c to the 4×8
// tile of panel p for the 4 rows of xq (row stride ldq) with row scales rs,
// before the epilogue's colScale(p) (nil for none) and bias.
type panelKernel interface {
	tile(c *[4 * panelWidth]float32, xq []int16, p int, rs *[4]float32)
	colScale(p int) []float32
}

func (l *quantLinear) In() int  { return l.in }
func (l *quantLinear) Out() int { return l.out }

// forward overwrites rows rows of y, ldy apart, with x·Wᵀ + b (then GELU
// with WithGELU) through k's micro-kernel; the caller has checked the
// lengths.
func (l *quantLinear) forward(k panelKernel, y []float32, ldy int, x []float32, rows int) {
	if rows == 0 {
		return
	}
	out, ldq := l.out, l.ldq
	// A last partial tile runs through the 4-row kernel on zero rows, and
	// only its real rows are stored: one kernel instead of two, for at most
	// 3 wasted rows a call.
	tiles := (rows + 3) / 4
	s := l.getScratch(tiles * 4)
	quantizeRows(s.xq, s.scale, x, rows, l.in, ldq, l.limit)
	// Panels outside, rows inside: one panel stays in cache while every
	// row of x streams past it.
	for p := 0; p < panelCount(out); p++ {
		bias := l.b[p*panelWidth : (p+1)*panelWidth]
		c0 := p * panelWidth
		cols := min(panelWidth, out-c0)
		for t := 0; t < tiles; t++ {
			r := 4 * t
			k.tile(&s.tile, s.xq[r*ldq:(r+4)*ldq], p, (*[4]float32)(s.scale[r:r+4]))
			storeTile(y[r*ldy+c0:], ldy, s.tile[:], min(4, rows-r), cols, k.colScale(p), bias)
		}
	}
	l.scratch.Put(s)
	switch {
	case !l.gelu:
	case ldy == out:
		GELU(y[:rows*out])
	default:
		for r := 0; r < rows; r++ {
			GELU(y[r*ldy : r*ldy+out])
		}
	}
}

// getScratch returns a scratch for rows (a multiple of 4) rows. The rows
// past the ones quantizeRows writes hold whatever an earlier Forward left:
// the kernel computes them, but they are never stored.
func (l *quantLinear) getScratch(rows int) *int8Scratch {
	s, _ := l.scratch.Get().(*int8Scratch)
	if s == nil {
		s = new(int8Scratch)
	}
	if n := rows * l.ldq; len(s.xq) < n {
		s.xq = make([]int16, n)
		s.scale = make([]float32, rows)
	}
	return s
}
