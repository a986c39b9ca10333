package bert

import (
	"math"

	"github.com/wasmbert/wasmbert/model/kernel"
)

// attention computes the multi-head self-attention context of the flat
// token rows [lo, hi) of the batch into ws.ctx: all of them, or one part's
// share of a split forward, whose keys and values come from every token but
// whose queries are its own. Padding keys get HF's additive
// float32-minimum bias, whose exp underflows to exactly 0. Padded query rows
// are computed too, as in HF, so every hidden state matches, not only the
// ones pooling reads; the engine's length bucketing keeps them few.
func (m *Model) attention(ws *Workspace, in *Input, lo, hi int) {
	h := m.cfg.HiddenSize
	heads := m.cfg.NumAttentionHeads
	s := in.SeqLen
	for b := 0; b < in.Batch; b++ {
		qLo, qHi := max(lo-b*s, 0), min(hi-b*s, s)
		if qLo >= qHi {
			continue
		}
		var mask []float32
		if in.Mask != nil {
			mask = ws.mask[:s]
			for j, v := range in.Mask[b*s : (b+1)*s] {
				mask[j] = 0
				if v == 0 {
					mask[j] = -math.MaxFloat32
				}
			}
		}
		kernel.Attention(ws.ctx[b*s*h:], ws.qkv[b*s*3*h:], s, qLo, qHi, heads, h/heads, 3*h, mask, ws.scores)
	}
}
