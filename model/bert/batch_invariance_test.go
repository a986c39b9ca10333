package bert

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestForwardBatchInvariant runs the same sequences alone, together, in
// another order and padded further, and wants every real token's last
// hidden state bit for bit the same. With int8 or int4 weights the activations are
// quantized per row: a one-ulp difference upstream (a reduction summed in
// another order because the padded length moved a tail, a 4-row tile
// against a 1-row one) flips roundings there and grows to ~1e-4 in the
// embedding, so every float step must be independent of the batch.
func TestForwardBatchInvariant(t *testing.T) {
	tiny := Config{VocabSize: 50, HiddenSize: 32, NumHiddenLayers: 2, NumAttentionHeads: 4, IntermediateSize: 64, MaxPositionEmbeddings: 64, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	minilm := Config{VocabSize: 300, HiddenSize: 384, NumHiddenLayers: 2, NumAttentionHeads: 12, IntermediateSize: 1536, MaxPositionEmbeddings: 64, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	tests := []struct {
		name string
		cfg  Config
		file func(*testing.T, Config, map[string][]float32) *Model // nil for f32 weights
		lens []int
	}{
		{"tiny int8", tiny, int8ModelFile, []int{1, 3, 5, 6, 9, 14}},
		{"minilm shape int8", minilm, int8ModelFile, []int{7, 2, 13, 10, 5}},
		{"tiny int4", tiny, int4ModelFile, []int{1, 3, 5, 6, 9, 14}},
		{"minilm shape int4", minilm, int4ModelFile, []int{7, 2, 13, 10, 5}},
		{"minilm shape f32", minilm, nil, []int{7, 2, 13, 10, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, uint64(len(tt.name))))
			w := randomWeights(tt.cfg, rng)
			var m *Model
			if tt.file != nil {
				m = tt.file(t, tt.cfg, w)
			} else {
				var err error
				if m, err = New(tt.cfg, w); err != nil {
					t.Fatal(err)
				}
			}
			seqs := make([][]int32, len(tt.lens))
			for i, n := range tt.lens {
				seqs[i] = make([]int32, n)
				for j := range seqs[i] {
					seqs[i][j] = int32(rng.IntN(tt.cfg.VocabSize))
				}
			}
			var ws Workspace
			want := make([][]float32, len(seqs))
			for i, s := range seqs {
				want[i] = forwardBatch(t, m, &ws, [][]int32{s}, len(s))[0]
			}
			all := make([]int, len(seqs))
			for i := range all {
				all[i] = i
			}
			reversed := make([]int, len(seqs))
			for i := range reversed {
				reversed[i] = len(seqs) - 1 - i
			}
			for _, c := range []struct {
				name  string
				order []int
				extra int // padding past the longest sequence
			}{
				{"all", all, 0},
				{"reversed, padded by 3", reversed, 3},
				{"first two, padded by 1", all[:2], 1},
				{"last three, padded by 6", all[len(all)-3:], 6},
			} {
				batch := make([][]int32, len(c.order))
				longest := 0
				for i, k := range c.order {
					batch[i] = seqs[k]
					longest = max(longest, len(seqs[k]))
				}
				got := forwardBatch(t, m, &ws, batch, longest+c.extra)
				for i, k := range c.order {
					if err := sameBits(got[i], want[k]); err != nil {
						t.Errorf("%s: sequence %d (%d tokens) against alone: %v", c.name, k, len(seqs[k]), err)
					}
				}
			}
		})
	}
}

// forwardBatch runs seqs padded to seqLen tokens and returns each one's
// real tokens' last hidden states.
func forwardBatch(t *testing.T, m *Model, ws *Workspace, seqs [][]int32, seqLen int) [][]float32 {
	t.Helper()
	n := len(seqs) * seqLen
	ids, mask := make([]int32, n), make([]int32, n)
	for b, s := range seqs {
		copy(ids[b*seqLen:], s)
		for j := range s {
			mask[b*seqLen+j] = 1
		}
	}
	out, err := m.Forward(ws, Input{IDs: ids, Mask: mask, Batch: len(seqs), SeqLen: seqLen})
	if err != nil {
		t.Fatal(err)
	}
	h := m.Config().HiddenSize
	res := make([][]float32, len(seqs))
	for b, s := range seqs {
		res[b] = append([]float32(nil), out.Last[b*seqLen*h:(b*seqLen+len(s))*h]...)
	}
	return res
}

// sameBits reports the first element where got and want differ in any bit.
func sameBits(got, want []float32) error {
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			return fmt.Errorf("element %d: %g, want %g (diff %g)", i, got[i], want[i], got[i]-want[i])
		}
	}
	return nil
}
