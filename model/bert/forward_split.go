package bert

import (
	"errors"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Part is one worker's share of a split forward: of Count workers running
// the same sequence, the one numbered Index (from 0) owns the token rows
// Rows gives.
type Part struct {
	Index, Count int
}

// rowBlock is the granularity of the parts' shares. The kernels' GEMMs take
// rows 4 at a time and the rest one by one, with different rounding on some
// CPUs (FMA in the 4-row AVX2 kernel), so a share that starts on a multiple
// of 4 puts every row through the kernel it meets in the one-piece forward.
const rowBlock = 4

// Rows is the part's token rows [lo, hi) of a sequence of seqLen tokens:
// whole blocks of rowBlock rows, the parts' shares differing by at most one
// block.
func (p Part) Rows(seqLen int) (lo, hi int) {
	blocks := (seqLen + rowBlock - 1) / rowBlock
	lo = min(seqLen, p.Index*blocks/p.Count*rowBlock)
	hi = min(seqLen, (p.Index+1)*blocks/p.Count*rowBlock)
	return lo, hi
}

// Exchange moves rows between the parts of a split forward. Every part calls
// AllGather the same number of times, in the same order, with buffers of the
// same shape: [S, width] row-major, holding this part's rows [lo, hi) on
// entry. AllGather returns when every other row holds the owning part's
// values. An error (a part died, a barrier timed out) ends the forward.
type Exchange interface {
	AllGather(buf []float32, width, lo, hi int) error
}

// ForwardPart is Forward of one sequence (Batch 1) computed by p.Count
// workers together, each calling it with its own Part and an Exchange that
// connects them. Everything in a layer but attention is per token, so each
// part runs the Linears, LayerNorms and activation for its own rows only;
// attention needs every token's keys and values, so the fused Q, K, V rows
// are all-gathered once per layer. At the end the kept hidden states are
// all-gathered too, so every part returns the Output Forward would, and
// pooling works on it unchanged.
//
// Every row goes through the same kernels as in Forward, so the result is
// Forward's to rounding: the same bits wherever the kernels compute a row
// independently of how many rows they are given (the tests hold it to
// 1e-6 at f32 and to identity with int8 weights).
//
// Attention, too, runs for the part's own queries only, over every token's
// keys and values.
func (m *Model) ForwardPart(ws *Workspace, in Input, p Part, ex Exchange) (Output, error) {
	if in.Batch != 1 || p.Index < 0 || p.Index >= p.Count || ex == nil {
		return Output{}, errBadPart
	}
	if err := m.checkInput(&in); err != nil {
		return Output{}, errfmt.Errorf("bert forward: %w", err)
	}
	lo, hi := p.Rows(in.SeqLen)
	return m.forward(ws, &in, lo, hi, ex)
}

var errBadPart = errors.New("bert forward: a part takes one sequence, an index below the part count and an exchange")
