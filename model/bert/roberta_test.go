package bert

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPositionIDs holds positionIDs to transformers'
// create_position_ids_from_input_ids (padding_idx 1) and BERT's arange.
func TestPositionIDs(t *testing.T) {
	tests := []struct {
		modelType string
		ids       []int32
		want      []int
	}{
		{"", []int32{2, 7, 1, 9, 3}, []int{0, 1, 2, 3, 4}},
		{TypeRoBERTa, []int32{0, 7, 9, 2}, []int{2, 3, 4, 5}},
		{TypeRoBERTa, []int32{0, 7, 1, 9, 2, 1, 1}, []int{2, 3, 1, 4, 5, 1, 1}},
		{TypeXLMRoBERTa, []int32{1, 0, 2}, []int{1, 2, 3}},
	}
	for _, tt := range tests {
		got := make([]int, len(tt.ids))
		Config{ModelType: tt.modelType, PadTokenID: 1}.positionIDs(tt.ids, got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q %v: positions %v, want %v", tt.modelType, tt.ids, got, tt.want)
		}
	}
}

// TestRobertaFamilyMatchesTransformers checks the fast and the spago
// forward of the tiny random RoBERTa, XLM-R and BERT-with-Unigram (e5)
// models (tools/reference/make_tiny_roberta.py) against every hidden state
// transformers computed, one sentence with a literal <pad> among them, and
// a padded batch of all sentences against the single ones.
func TestRobertaFamilyMatchesTransformers(t *testing.T) {
	for _, tt := range []struct {
		name      string
		offset    bool
		typeVocab int
	}{{"tiny_roberta", true, 1}, {"tiny_xlmr", true, 1}, {"tiny_e5", false, 2}} {
		name := tt.name
		t.Run(name, func(t *testing.T) {
			cfg, w := loadCheckpoint(t, filepath.Join("testdata", name))
			if cfg.offsetPositions() != tt.offset || cfg.TypeVocabSize != tt.typeVocab {
				t.Fatalf("config %+v: want offset positions %v, %d token types", cfg, tt.offset, tt.typeVocab)
			}
			raw, err := os.ReadFile(filepath.Join("testdata", name+"_reference.json"))
			if err != nil {
				t.Fatal(err)
			}
			var ref struct{ Cases []tinyCase }
			if err := json.Unmarshal(raw, &ref); err != nil {
				t.Fatal(err)
			}
			m, err := New(cfg, w)
			if err != nil {
				t.Fatal(err)
			}
			var ws Workspace
			var worst float64
			seqLen := 0
			for _, c := range ref.Cases {
				seqLen = max(seqLen, len(c.IDs))
				out, err := m.Forward(&ws, Input{IDs: c.IDs, Batch: 1, SeqLen: len(c.IDs), AllHidden: true})
				if err != nil {
					t.Fatalf("%q: %v", c.Text, err)
				}
				refOut, err := ReferenceForward(cfg, w, c.IDs, nil)
				if err != nil {
					t.Fatalf("%q: %v", c.Text, err)
				}
				for l, want := range c.HiddenStates {
					d, dr := maxAbsDiff(out.All[l], flatten(want)), maxAbsDiff(refOut[l], flatten(want))
					worst = max(worst, d, dr)
					if d > 1e-5 || dr > 1e-5 {
						t.Errorf("%q layer %d: max abs diff fast %g, reference %g", c.Text, l, d, dr)
					}
				}
			}
			t.Logf("max abs diff against transformers: %.3g", worst)

			// A padded batch: padding ids are 0 (<s>, not <pad>), as the engine pads.
			n := len(ref.Cases)
			ids, mask := make([]int32, n*seqLen), make([]int32, n*seqLen)
			for b, c := range ref.Cases {
				copy(ids[b*seqLen:], c.IDs)
				for j := range c.IDs {
					mask[b*seqLen+j] = 1
				}
			}
			out, err := m.Forward(&ws, Input{IDs: ids, Mask: mask, Batch: n, SeqLen: seqLen})
			if err != nil {
				t.Fatal(err)
			}
			h := cfg.HiddenSize
			for b, c := range ref.Cases {
				got := out.Last[b*seqLen*h : (b*seqLen+len(c.IDs))*h]
				if d := maxAbsDiff(got, flatten(c.HiddenStates[len(c.HiddenStates)-1])); d > 1e-4 {
					t.Errorf("%q in a padded batch: max abs diff %g", c.Text, d)
				}
			}
		})
	}
}
