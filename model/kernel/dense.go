package kernel

import "github.com/wasmbert/wasmbert/internal/errfmt"

// panelWidth is the number of output columns packed together: the micro-kernels
// compute a 4×panelWidth tile of y per pass over k, which on wasm SIMD is two
// Float32x4 accumulators per row, eight in all, leaving registers for the
// broadcast row values and the weights.
const panelWidth = 8

// Option configures a Linear built by NewF32 or NewInt8.
type Option func(*options)

type options struct {
	gelu bool
}

// WithGELU makes Forward apply the exact (erf) GELU to y after the bias, as
// BERT's intermediate dense layer needs. It runs once over the finished
// output, which is still in cache, so the caller saves a pass over memory but
// nothing more.
func WithGELU() Option { return func(o *options) { o.gelu = true } }

func buildOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// panelCount is the number of panels for out columns, the last one
// zero-padded.
func panelCount(out int) int { return (out + panelWidth - 1) / panelWidth }

// paddedBias returns b copied into a slice of panelCount(out)·panelWidth
// values, zeros where b is nil or past out, so the epilogue never branches on
// it.
func paddedBias(b []float32, out int) []float32 {
	p := make([]float32, panelCount(out)*panelWidth)
	copy(p, b)
	return p
}

// checkShapes panics on shape mismatches at construction: they are
// programming errors in the caller, not bad user input.
func checkShapes(name string, nw, nb, out, in int) {
	if out <= 0 || in <= 0 {
		panic(errfmt.Sprintf("kernel: %s: invalid shape out=%d in=%d", name, out, in))
	}
	if nw != out*in {
		panic(errfmt.Sprintf("kernel: %s: len(w)=%d, want out·in=%d", name, nw, out*in))
	}
	if nb != 0 && nb != out {
		panic(errfmt.Sprintf("kernel: %s: len(b)=%d, want 0 or out=%d", name, nb, out))
	}
}

// checkForward panics when y or x are too short for rows rows. Forward has
// no error result; a short buffer is a bug in the caller, and failing here
// gives a clearer message than an index panic deep in a micro-kernel (which
// on wasm SIMD reads through unsafe pointers and would not check at all).
func checkForward(y, x []float32, rows, out, in int) {
	if rows < 0 || len(x) < rows*in || len(y) < rows*out {
		panic(errfmt.Sprintf("kernel: Forward: rows=%d needs len(x)≥%d, len(y)≥%d; have %d, %d",
			rows, rows*in, rows*out, len(x), len(y)))
	}
}
