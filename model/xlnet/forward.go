package xlnet

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/kernel"
)

// Input is a batch of Batch sequences padded to SeqLen tokens, flat and
// row-major: token t of sequence b is at b·SeqLen+t. XLNet's tokenizer pads on
// the left, but any side works: only distances between tokens matter.
type Input struct {
	IDs []int32
	// TypeIDs are the segment ids (0 and 1 for the texts, 2 for <cls>, 3 for
	// padding); only whether two are equal matters. nil means one segment,
	// which is what HF computes without token_type_ids.
	TypeIDs []int32
	// Mask is 1 for real tokens and 0 for padding; nil means all real.
	Mask   []int32
	Batch  int
	SeqLen int
	// AllHidden keeps the embeddings and every layer's output, as HF's
	// output_hidden_states, instead of only the last.
	AllHidden bool
}

// Output holds the hidden states of a forward. Its slices point into the
// Workspace and are valid until the Workspace runs the next forward.
type Output struct {
	// Last is the last layer's output, [Batch·SeqLen, D].
	Last []float32
	// All is nil unless Input.AllHidden: All[0] is the word embeddings and
	// All[i] the output of layer i.
	All [][]float32
}

// Forward runs the encoder over a batch.
func (m *Model) Forward(ws *Workspace, in Input) (Output, error) {
	if err := m.checkInput(&in); err != nil {
		return Output{}, errfmt.Errorf("xlnet forward: %w", err)
	}
	c := m.cfg
	s, d := in.SeqLen, c.DModel
	n := in.Batch * s
	nHidden := 1
	if in.AllHidden {
		nHidden = c.NLayer + 1
	}
	ws.grow(c, n, s, nHidden)
	x := ws.hidden[0]
	for i, id := range in.IDs {
		copy(x[i*d:(i+1)*d], m.word[int(id)*d:])
	}
	positionEncoding(ws.pos, m.invFreq, s, c.ClampLen)
	eps := float32(c.LayerNormEps)
	for i := range m.layers {
		l := &m.layers[i]
		out := x
		if in.AllHidden {
			out = ws.hidden[i+1]
		}
		l.qkv.Forward(ws.qkv, x, n)
		l.r.Forward(ws.kr, ws.pos, 2*s-1)
		l.attention(ws, &in, c.NHead, c.DHead)
		l.o.Forward(ws.attn, ws.ctx, n)
		kernel.AddLayerNorm(ws.attn, x, n, d, l.attnGamma, l.attnBeta, eps)
		l.ff1.Forward(ws.inter, ws.attn, n)
		if c.FFActivation == "relu" {
			for j, v := range ws.inter {
				ws.inter[j] = max(v, 0)
			}
		}
		// x is dead once attn holds the residual stream, so the output can
		// overwrite it when the hidden states are not kept.
		l.ff2.Forward(out, ws.inter, n)
		kernel.AddLayerNorm(out, ws.attn, n, d, l.ffGamma, l.ffBeta, eps)
		x = out
	}
	o := Output{Last: x}
	if in.AllHidden {
		o.All = ws.hidden[:nHidden]
	}
	return o, nil
}

func (m *Model) checkInput(in *Input) error {
	if in.Batch <= 0 || in.SeqLen <= 0 {
		return errfmt.Errorf("batch %d × %d tokens: both must be positive", in.Batch, in.SeqLen)
	}
	// No position table bounds the length; this keeps the buffers' sizes
	// from overflowing.
	if in.SeqLen > maxDim || in.Batch > maxDim/in.SeqLen {
		return errfmt.Errorf("batch %d × %d tokens is too large", in.Batch, in.SeqLen)
	}
	n := in.Batch * in.SeqLen
	if len(in.IDs) != n {
		return errfmt.Errorf("%d ids for batch %d × %d", len(in.IDs), in.Batch, in.SeqLen)
	}
	for i, id := range in.IDs {
		if id < 0 || int(id) >= m.cfg.VocabSize {
			return errfmt.Errorf("token %d: id %d out of range [0, %d)", i, id, m.cfg.VocabSize)
		}
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
	for b := range in.Batch {
		real := false
		for _, v := range in.Mask[b*in.SeqLen : (b+1)*in.SeqLen] {
			if v != 0 && v != 1 {
				return errfmt.Errorf("sequence %d: mask value %d, want 0 or 1", b, v)
			}
			real = real || v == 1
		}
		if !real {
			return errfmt.Errorf("sequence %d is all padding", b)
		}
	}
	return nil
}
