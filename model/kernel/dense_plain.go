package kernel

// PLACEHOLDER owned by the kernel work: the packed, register-blocked versions
// replace these plain constructors behind the same signatures.

type plainF32 struct {
	w, b    []float32
	out, in int
}

// NewF32 returns a Linear over f32 weights w [out, in] (row-major) and bias b
// (nil for none). w and b are copied.
func NewF32(w, b []float32, out, in int) Linear {
	return &plainF32{w: append([]float32(nil), w...), b: append([]float32(nil), b...), out: out, in: in}
}

func (l *plainF32) In() int  { return l.in }
func (l *plainF32) Out() int { return l.out }
func (l *plainF32) Forward(y, x []float32, rows int) {
	var b []float32
	if len(l.b) > 0 {
		b = l.b
	}
	LinearRef(y, x, l.w, b, rows, l.out, l.in)
}

// NewInt8 returns a Linear over int8 weights q [out, in] with one f32 scale
// per output row (W[o][k] = q[o][k]·scale[o]) and bias b (nil for none).
func NewInt8(q []int8, scale, b []float32, out, in int) Linear {
	w := make([]float32, out*in)
	for o := 0; o < out; o++ {
		for k := 0; k < in; k++ {
			w[o*in+k] = float32(q[o*in+k]) * scale[o]
		}
	}
	return &plainF32{w: w, b: append([]float32(nil), b...), out: out, in: in}
}
