package xlnet

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkForward runs two xlnet-base-sized layers (d_model 768, 12 heads
// of 64, d_inner 3072) over 8 left-padded sequences of 64 tokens, against the
// spago reference on one of them for scale.
func BenchmarkForward(b *testing.B) {
	cfg := Config{VocabSize: 1000, DModel: 768, NLayer: 2, NHead: 12, DHead: 64, DInner: 3072,
		FFActivation: "gelu", LayerNormEps: 1e-12, AttnType: "bi", ClampLen: -1}
	rng := rand.New(rand.NewPCG(7, 8))
	tensors := randomTensors(cfg, rng)
	m, err := New(cfg, tensors)
	if err != nil {
		b.Fatal(err)
	}
	const batch, seq = 8, 64
	in := Input{Batch: batch, SeqLen: seq}
	for i := range batch * seq {
		in.IDs = append(in.IDs, rng.Int32N(int32(cfg.VocabSize)))
		in.TypeIDs = append(in.TypeIDs, int32(i%seq*2/seq))
		in.Mask = append(in.Mask, int32(min(1, i%seq/(i/seq+1))))
	}
	b.Run("fast/8x64", func(b *testing.B) {
		var ws Workspace
		for b.Loop() {
			if _, err := m.Forward(&ws, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fast/1x64", func(b *testing.B) {
		var ws Workspace
		one := Input{IDs: in.IDs[:seq], TypeIDs: in.TypeIDs[:seq], Batch: 1, SeqLen: seq}
		for b.Loop() {
			if _, err := m.Forward(&ws, one); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reference/1x64", func(b *testing.B) {
		for b.Loop() {
			if _, err := referenceForward(cfg, tensors, in.IDs[:seq], in.TypeIDs[:seq]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
