package kernel

// Part is a block of Rows rows of a weight matrix in a quantized form:
// int8 (Q, one Scale per row, as NewInt8 takes) or int4 (Nibbles in groups
// of Group, Scale per group, as NewInt4 takes), and its Bias (nil for
// none).
type Part struct {
	Q       []int8
	Nibbles []byte
	Group   int
	Scale   []float32
	Bias    []float32
	Rows    int
}

// Stack returns a Linear over the parts' rows stacked, in order, with in
// inputs: each part a NewInt8 or NewInt4 of its own, side by side in the
// output. So a fused projection keeps each part in its own precision (under
// --dtype int4 the query and key are int4, the value int8) instead of
// widening them all to f32; its outputs are those of one Linear over the
// stacked rows, bit for bit. It panics on a part with neither Q nor Nibbles.
func Stack(parts []Part, in int, opts ...Option) Linear {
	if len(parts) == 0 {
		panic("kernel: Stack: no parts")
	}
	c := &concat{in: in}
	for _, p := range parts {
		var l stridedLinear
		if p.Q != nil {
			l = NewInt8(p.Q, p.Scale, p.Bias, p.Rows, in, opts...).(*denseInt8)
		} else {
			l = NewInt4(p.Nibbles, p.Scale, p.Bias, p.Rows, in, p.Group, opts...).(*denseInt4)
		}
		c.parts = append(c.parts, l)
		c.offs = append(c.offs, c.out)
		c.out += p.Rows
	}
	if len(c.parts) == 1 {
		return c.parts[0]
	}
	return c
}

// stridedLinear is a Linear that can write its rows into a wider y, so the
// parts of a Stack need no scratch and no copy.
type stridedLinear interface {
	Linear
	forwardStrided(y []float32, ldy int, x []float32, rows int)
}

// concat is Linears over the same input side by side in the output.
type concat struct {
	parts []stridedLinear
	offs  []int // first output column of each part
	in    int
	out   int
}

func (c *concat) In() int  { return c.in }
func (c *concat) Out() int { return c.out }

// Forward overwrites y[:rows·out] with every part's output, part by part.
// Each part quantizes x on its own, a small fraction of its work.
func (c *concat) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, c.out, c.in)
	if rows == 0 {
		return // y may be empty, too short for the parts' offsets
	}
	for i, p := range c.parts {
		p.forwardStrided(y[c.offs[i]:], c.out, x, rows)
	}
}
