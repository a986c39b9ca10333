// Package pooling turns a sequence's hidden states into one vector: mean,
// CLS or max pooling over the real (unmasked) tokens, choice and combination
// of hidden layers, L2 normalization, and per-token and per-word vectors.
package pooling

import (
	"math"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Mode is a pooling strategy, named as in sentence-transformers' Pooling.
type Mode string

const (
	Mean Mode = "mean" // average of the unmasked tokens
	CLS  Mode = "cls"  // the first token
	Max  Mode = "max"  // element-wise maximum of the unmasked tokens
	// LastToken is the last unmasked token: XLNet's <cls>, which its
	// tokenizer puts at the end (HF's sequence summary "last",
	// sentence-transformers' "lasttoken").
	LastToken Mode = "lasttoken"
)

// ParseMode accepts "mean", "cls", "max" or "lasttoken".
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Mean, CLS, Max, LastToken:
		return m, nil
	}
	return "", errfmt.Errorf("unknown pooling mode %q (want mean, cls, max or lasttoken)", s)
}

// Pool writes into dst [dim] the pooled vector of hidden [seq, dim];
// mask (nil = all tokens) marks the real tokens with 1.
func Pool(dst []float32, mode Mode, hidden []float32, mask []int32, seq, dim int) error {
	if len(dst) != dim || len(hidden) < seq*dim || (mask != nil && len(mask) < seq) {
		return errfmt.Errorf("pool: buffers do not fit %d tokens × %d", seq, dim)
	}
	real := func(i int) bool { return mask == nil || mask[i] != 0 }
	switch mode {
	case CLS:
		if seq == 0 {
			return errfmt.Errorf("pool: no tokens")
		}
		copy(dst, hidden[:dim])
	case LastToken:
		last := seq - 1
		for last >= 0 && !real(last) {
			last--
		}
		if last < 0 {
			return errfmt.Errorf("pool: all %d tokens masked", seq)
		}
		copy(dst, hidden[last*dim:(last+1)*dim])
	case Mean:
		// float64 sums: up to 512 tokens of f32 would otherwise lose the
		// last digits sentence-transformers keeps.
		sum := make([]float64, dim)
		n := 0
		for i := 0; i < seq; i++ {
			if !real(i) {
				continue
			}
			n++
			for k, v := range hidden[i*dim : (i+1)*dim] {
				sum[k] += float64(v)
			}
		}
		if n == 0 {
			return errfmt.Errorf("pool: all %d tokens masked", seq)
		}
		for k := range dst {
			dst[k] = float32(sum[k] / float64(n))
		}
	case Max:
		for k := range dst {
			dst[k] = float32(math.Inf(-1))
		}
		n := 0
		for i := 0; i < seq; i++ {
			if !real(i) {
				continue
			}
			n++
			for k, v := range hidden[i*dim : (i+1)*dim] {
				dst[k] = max(dst[k], v)
			}
		}
		if n == 0 {
			return errfmt.Errorf("pool: all %d tokens masked", seq)
		}
	default:
		return errfmt.Errorf("pool: unknown mode %q", string(mode))
	}
	return nil
}

// Normalize scales v to unit L2 norm in place. Like torch's F.normalize it
// divides by max(‖v‖, 1e-12), so a zero vector stays zero.
func Normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	inv := 1 / max(math.Sqrt(s), 1e-12)
	for i := range v {
		v[i] = float32(float64(v[i]) * inv)
	}
}
