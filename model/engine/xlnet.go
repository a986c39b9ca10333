//go:build !wasmbert_core

package engine

import (
	"github.com/wasmbert/wasmbert/model/bert"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/xlnet"
)

// xlnetMaxTokens bounds an XLNet sequence. XLNet has no position table;
// 512 is the length it was pretrained on, and attention's cost grows with
// its square (longer texts can be chunked).
const xlnetMaxTokens = 512

func newXLNetBuilder(h *modelfile.Header) (encoderBuilder, error) {
	b, err := xlnet.NewBuilder(xlnet.FileConfig(h.Model, *h.XLNet))
	if err != nil {
		return nil, err
	}
	return &xlnetBuilder{b}, nil
}

type xlnetBuilder struct{ *xlnet.Builder }

func (b *xlnetBuilder) build() (encoder, error) {
	m, err := b.Done()
	if err != nil {
		return nil, err
	}
	return &xlnetEncoder{m}, nil
}

// xlnetEncoder runs XLNet on the engine's batches. They are padded on the
// right, XLNet's tokenizer pads on the left: only distances between tokens
// matter to XLNet, so the real tokens' states are the same either way, and
// the last real token (<cls>, pooling.LastToken) is found through the mask.
type xlnetEncoder struct{ *xlnet.Model }

func (m *xlnetEncoder) forward(ws any, in bert.Input) (bert.Output, error) {
	out, err := m.Forward(ws.(*xlnet.Workspace), xlnet.Input{
		IDs: in.IDs, TypeIDs: in.TypeIDs, Mask: in.Mask, Batch: in.Batch, SeqLen: in.SeqLen, AllHidden: in.AllHidden,
	})
	return bert.Output{Last: out.Last, All: out.All}, err
}

func (*xlnetEncoder) newWorkspace() any { return new(xlnet.Workspace) }

func (*xlnetEncoder) maxTokens() int { return xlnetMaxTokens }
