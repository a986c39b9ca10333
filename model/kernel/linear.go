package kernel

// Linear is a dense layer y = x·Wᵀ + b over row-major activations:
// x is [rows, In()] and y is [rows, Out()]. Implementations own a packed copy
// of W laid out for their micro-kernel, so Forward does no allocation.
type Linear interface {
	In() int
	Out() int
	// Forward overwrites y[:rows*Out()] with x[:rows*In()]·Wᵀ + b.
	Forward(y, x []float32, rows int)
}

// LinearRef computes y = x·Wᵀ + b with W row-major [out, in] and bias b
// (nil for none). It is the reference every Linear is tested against.
func LinearRef(y, x, w, b []float32, rows, out, in int) {
	for r := 0; r < rows; r++ {
		xr := x[r*in : (r+1)*in]
		for o := 0; o < out; o++ {
			wo := w[o*in : (o+1)*in]
			var s float32
			for k := range xr {
				s += xr[k] * wo[k]
			}
			if b != nil {
				s += b[o]
			}
			y[r*out+o] = s
		}
	}
}
