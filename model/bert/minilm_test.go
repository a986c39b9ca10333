// The test on the real model is an external test: internal/testmodel
// fetches the checkpoint through model/checkpoint, which imports bert.
package bert_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmbert/wasmbert/internal/testmodel"
	"github.com/wasmbert/wasmbert/model/bert"
)

// TestMiniLMHiddenStates holds every hidden state of all-MiniLM-L6-v2 to
// transformers' output_hidden_states within 1e-3.
func TestMiniLMHiddenStates(t *testing.T) {
	cfg, w := bert.LoadCheckpoint(t, testmodel.CheckpointDir(t))
	m, err := bert.New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "minilm_hidden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Cases []struct {
			Text   string
			IDs    []int32
			Shape  []int
			Offset int
		}
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	blob, err := os.ReadFile(filepath.Join("testdata", "minilm_hidden.f32"))
	if err != nil {
		t.Fatal(err)
	}
	var ws bert.Workspace
	for _, c := range idx.Cases {
		out, err := m.Forward(&ws, bert.Input{IDs: c.IDs, Batch: 1, SeqLen: len(c.IDs), AllHidden: true})
		if err != nil {
			t.Fatal(err)
		}
		ref, err := bert.ReferenceForward(cfg, w, c.IDs, nil)
		if err != nil {
			t.Fatal(err)
		}
		per := c.Shape[1] * c.Shape[2]
		for l := 0; l < c.Shape[0]; l++ {
			want := bert.F32s(blob[4*(c.Offset+l*per) : 4*(c.Offset+(l+1)*per)])
			if d := bert.MaxAbsDiff(out.All[l], want); d > 1e-3 {
				t.Errorf("%q layer %d: max abs diff vs transformers %g", c.Text, l, d)
			}
			if d := bert.MaxAbsDiff(out.All[l], ref[l]); d > 1e-4 {
				t.Errorf("%q layer %d: max abs diff vs spago reference %g", c.Text, l, d)
			}
		}
	}
}
