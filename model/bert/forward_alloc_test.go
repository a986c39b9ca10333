package bert

import (
	"math/rand/v2"
	"testing"
)

// TestForwardDoesNotAllocate holds Workspace to its promise: once it has
// grown to a batch, forwards of that batch or a smaller one allocate
// nothing, attention scratch included.
func TestForwardDoesNotAllocate(t *testing.T) {
	cfg := Config{VocabSize: 50, HiddenSize: 32, NumHiddenLayers: 2, NumAttentionHeads: 4, IntermediateSize: 64, MaxPositionEmbeddings: 40, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	rng := rand.New(rand.NewPCG(7, 7))
	m, err := New(cfg, randomWeights(cfg, rng))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int32, 2*17)
	mask := make([]int32, len(ids))
	for i := range ids {
		ids[i] = int32(rng.IntN(cfg.VocabSize))
		mask[i] = 1
	}
	mask[len(mask)-1] = 0
	big := Input{IDs: ids, Mask: mask, Batch: 2, SeqLen: 17}
	small := Input{IDs: ids[:9], Batch: 1, SeqLen: 9}
	var ws Workspace
	if _, err := m.Forward(&ws, big); err != nil {
		t.Fatal(err)
	}
	for _, in := range []Input{big, small} {
		if n := testing.AllocsPerRun(5, func() { m.Forward(&ws, in) }); n != 0 {
			t.Errorf("batch %d × %d: %v allocations per Forward, want 0", in.Batch, in.SeqLen, n)
		}
	}
}
