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
// tile (zero rows past the real ones) and one scale per row; the kernel's
// output for one panel, every tile's; and, for denseInt8, room for a panel
// widened to int16 (see gemmTilesI16).
type int8Scratch struct {
	xq    []int16
	scale []float32
	tiles []float32
	wide  []int16
}

// panelKernel is an integer Linear's micro-kernel: panel sets s.tiles[r·8+j],
// for the 4·tiles rows of s.xq (row scales s.scale), to column j of panel p
// before the epilogue's colScale(p) (nil for none) and bias.
type panelKernel interface {
	panel(s *int8Scratch, p, tiles int)
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
	// row of x streams past it, and the kernel runs on all the tiles of a
	// panel in one call, the epilogue on all its rows in another.
	for p := 0; p < panelCount(out); p++ {
		c0 := p * panelWidth
		k.panel(s, p, tiles)
		storeTile(y[c0:], ldy, s.tiles, rows, min(panelWidth, out-c0), k.colScale(p), l.b[c0:c0+panelWidth])
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
		s.tiles = make([]float32, rows*panelWidth)
	}
	return s
}
