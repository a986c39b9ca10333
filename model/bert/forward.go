package bert

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/kernel"
)

// Input is a batch of Batch sequences padded to SeqLen tokens, flat and
// row-major: token t of sequence b is at b·SeqLen+t.
type Input struct {
	IDs     []int32
	TypeIDs []int32 // nil means all 0
	Mask    []int32 // 1 for real tokens, 0 for padding; nil means all 1
	Batch   int
	SeqLen  int
	// AllHidden keeps every hidden state (embeddings output and each layer's
	// output) instead of only the last.
	AllHidden bool
}

// Output holds the hidden states of a forward. Its slices point into the
// Workspace and are valid until the Workspace runs the next forward.
type Output struct {
	// Last is the last layer's output, [Batch·SeqLen, H].
	Last []float32
	// All is nil unless Input.AllHidden: All[0] is the embeddings output and
	// All[i] the output of layer i, as HF's output_hidden_states.
	All [][]float32
}

// Forward runs the encoder over a batch.
func (m *Model) Forward(ws *Workspace, in Input) (Output, error) {
	if err := m.checkInput(&in); err != nil {
		return Output{}, errfmt.Errorf("bert forward: %w", err)
	}
	return m.forward(ws, &in, 0, in.Batch*in.SeqLen, nil)
}

// forward runs the encoder for the flat token rows [lo, hi) of a checked
// input: all of them with a nil ex, or one part's share of a single
// sequence (ForwardPart), whose Q, K, V rows and final hidden states are
// all-gathered through ex. Every row but attention's is computed on its
// own, so both share this one body. (Slices are cut from an offset only:
// the kernels read n rows, and every bounds check costs engine bytes.)
func (m *Model) forward(ws *Workspace, in *Input, lo, hi int, ex Exchange) (Output, error) {
	c := m.cfg
	tokens := in.Batch * in.SeqLen
	nHidden := 1
	if in.AllHidden {
		nHidden = c.NumHiddenLayers + 1
	}
	ws.grow(c, tokens, in.SeqLen, nHidden)
	if err := m.embedRows(ws.hidden[0], in, lo, hi); err != nil {
		return Output{}, errfmt.Errorf("bert forward: %w", err)
	}
	n, h, eps := hi-lo, c.HiddenSize, float32(c.LayerNormEps)
	oh := lo * h
	attn, mid := ws.attn[oh:], ws.inter[lo*c.IntermediateSize:hi*c.IntermediateSize]
	x := ws.hidden[0]
	for i := range m.layers {
		l := &m.layers[i]
		out := x
		if in.AllHidden {
			out = ws.hidden[i+1]
		}
		l.qkv.Forward(ws.qkv[3*oh:], x[oh:], n)
		if err := gather(ex, ws.qkv, 3*h, lo, hi); err != nil {
			return Output{}, err
		}
		m.attention(ws, in, lo, hi)
		l.attnOut.Forward(attn, ws.ctx[oh:], n)
		kernel.AddLayerNorm(attn, x[oh:], n, h, l.attnGamma, l.attnBeta, eps)
		l.intermediate.Forward(mid, attn, n)
		if !m.fusedGELU {
			m.act.apply(mid)
		}
		// x is dead once attn holds the residual stream, so the output can
		// overwrite it when the hidden states are not kept.
		l.output.Forward(out[oh:], mid, n)
		kernel.AddLayerNorm(out[oh:], attn, n, h, l.outGamma, l.outBeta, eps)
		x = out
	}
	o := Output{Last: x, All: ws.hidden[:nHidden]}
	for _, hs := range o.All {
		if err := gather(ex, hs, h, lo, hi); err != nil {
			return Output{}, err
		}
	}
	if !in.AllHidden {
		o.All = nil
	}
	return o, nil
}

// gather all-gathers buf's rows of width floats through ex, if any.
func gather(ex Exchange, buf []float32, width, lo, hi int) error {
	if ex == nil {
		return nil
	}
	return ex.AllGather(buf, width, lo, hi)
}

func (m *Model) checkInput(in *Input) error {
	if in.Batch <= 0 || in.SeqLen <= 0 {
		return errfmt.Errorf("batch %d × %d tokens: both must be positive", in.Batch, in.SeqLen)
	}
	if in.SeqLen > m.cfg.MaxTokens() {
		return errfmt.Errorf("%d tokens exceed the model's %d positions", in.SeqLen, m.cfg.MaxTokens())
	}
	n := in.Batch * in.SeqLen
	if len(in.IDs) != n {
		return errfmt.Errorf("%d ids for batch %d × %d", len(in.IDs), in.Batch, in.SeqLen)
	}
	if in.TypeIDs != nil && len(in.TypeIDs) != n {
		return errfmt.Errorf("%d type ids for batch %d × %d", len(in.TypeIDs), in.Batch, in.SeqLen)
	}
	if in.Mask == nil {
		return nil
	}
	if len(in.Mask) != n {
		return errfmt.Errorf("%d mask values for batch %d × %d", len(in.Mask), in.Batch, in.SeqLen)
	}
	for b := 0; b < in.Batch; b++ {
		any := false
		for _, v := range in.Mask[b*in.SeqLen : (b+1)*in.SeqLen] {
			if v != 0 && v != 1 {
				return errfmt.Errorf("sequence %d: mask value %d, want 0 or 1", b, v)
			}
			any = any || v == 1
		}
		if !any {
			return errfmt.Errorf("sequence %d is all padding", b)
		}
	}
	return nil
}
