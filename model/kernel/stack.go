package kernel

import "github.com/wasmbert/wasmbert/internal/errfmt"

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
// inputs. Each run of adjacent int8 parts, or of int4 parts with one group
// size, becomes one NewInt8 or NewInt4; several runs go side by side in the
// output. So a fused projection keeps each part in its own precision (under
// --dtype int4 the query and key are int4, the value int8) instead of
// widening them all to f32.
func Stack(parts []Part, in int, opts ...Option) Linear {
	if len(parts) == 0 {
		panic("kernel: Stack: no parts")
	}
	var runs []stridedLinear
	for i := 0; i < len(parts); {
		j := i + 1
		for j < len(parts) && sameKind(parts[i], parts[j]) {
			j++
		}
		runs = append(runs, stackRun(parts[i:j], in, opts))
		i = j
	}
	if len(runs) == 1 {
		return runs[0]
	}
	c := &concat{parts: runs, in: in}
	for _, r := range runs {
		c.offs = append(c.offs, c.out)
		c.out += r.Out()
	}
	return c
}

func sameKind(a, b Part) bool {
	return (a.Q != nil) == (b.Q != nil) && a.Group == b.Group
}

// stackRun builds parts of one kind as one Linear.
func stackRun(parts []Part, in int, opts []Option) stridedLinear {
	var q []int8
	var nibbles []byte
	var scale, bias []float32
	for _, p := range parts {
		q = append(q, p.Q...)
		nibbles = append(nibbles, p.Nibbles...)
		scale = append(scale, p.Scale...)
		if p.Bias == nil {
			bias = append(bias, make([]float32, p.Rows)...)
		} else {
			bias = append(bias, p.Bias...)
		}
	}
	out := len(bias)
	if q != nil {
		return NewInt8(q, scale, bias, out, in, opts...).(stridedLinear)
	}
	if nibbles == nil {
		panic(errfmt.Sprintf("kernel: Stack: a part of %d rows has neither int8 nor int4 weights", out))
	}
	return NewInt4(nibbles, scale, bias, out, in, parts[0].Group, opts...).(stridedLinear)
}

// stridedLinear is a Linear that can write its rows into a wider y, so the
// runs of a Stack need no scratch and no copy.
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
// Each part quantizes x on its own: the int8 and int4 activation limits
// differ, and x is a small fraction of the work.
func (c *concat) Forward(y, x []float32, rows int) {
	checkForward(y, x, rows, c.out, c.in)
	if rows == 0 {
		return // y may be empty, too short for the parts' offsets
	}
	for i, p := range c.parts {
		p.forwardStrided(y[c.offs[i]:], c.out, x, rows)
	}
}

// geluRows applies GELU to rows rows of width n, ldy apart.
func geluRows(y []float32, ldy, n, rows int) {
	if ldy == n {
		GELU(y[:rows*n])
		return
	}
	for r := 0; r < rows; r++ {
		GELU(y[r*ldy : r*ldy+n])
	}
}
