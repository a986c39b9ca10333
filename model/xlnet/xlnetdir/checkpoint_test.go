package xlnetdir

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/wasmbert/wasmbert/model/pooling"
	"github.com/wasmbert/wasmbert/model/tokenizer"
	"github.com/wasmbert/wasmbert/model/xlnet"
)

// TestCheckpoint checks a real XLNet checkpoint against its reference from
// transformers (tools/reference/make_xlnet_fixture.py --checkpoint DIR OUT):
// ids identical, every hidden state within 1e-4, pooled vectors of the
// left-padded batch at cosine ≥ 0.99999. No XLNet checkpoint ships on a
// package registry, so it runs only when given one.
func TestCheckpoint(t *testing.T) {
	dir, refPath := os.Getenv("WASMBERT_XLNET_DIR"), os.Getenv("WASMBERT_XLNET_REF")
	if dir == "" || refPath == "" {
		t.Skip("set WASMBERT_XLNET_DIR (an HF XLNet directory) and WASMBERT_XLNET_REF (its reference)")
	}
	b, err := os.ReadFile(refPath)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Text            string      `json:"text"`
			Pair            *string     `json:"pair"`
			IDs             []int32     `json:"ids"`
			TypeIDs         []int32     `json:"type_ids"`
			LastHiddenState [][]float32 `json:"last_hidden_state"`
		} `json:"cases"`
		BatchMean [][]float32 `json:"batch_mean"`
		BatchLast [][]float32 `json:"batch_last"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	e, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ws xlnet.Workspace
	encs := make([]tokenizer.Encoding, len(ref.Cases))
	worst := 0.0
	for i, c := range ref.Cases {
		if c.Pair != nil {
			encs[i] = e.Tokenizer.EncodePair(c.Text, *c.Pair, 0)
		} else {
			encs[i] = e.Tokenizer.Encode(c.Text, 0)
		}
		if !slices.Equal(encs[i].IDs, c.IDs) || !slices.Equal(encs[i].TypeIDs, c.TypeIDs) {
			t.Errorf("%q: ids %v types %v, want %v %v", c.Text, encs[i].IDs, encs[i].TypeIDs, c.IDs, c.TypeIDs)
			continue
		}
		s := len(c.IDs)
		out, err := e.Model.Forward(&ws, xlnet.Input{IDs: c.IDs, TypeIDs: c.TypeIDs, Batch: 1, SeqLen: s})
		if err != nil {
			t.Fatal(err)
		}
		d := len(out.Last) / s
		for tok, row := range c.LastHiddenState {
			for k, v := range row {
				worst = max(worst, math.Abs(float64(out.Last[tok*d+k]-v)))
			}
		}
	}
	if worst > 1e-4 {
		t.Errorf("last_hidden_state: max abs diff %.3g", worst)
	}
	for _, tc := range []struct {
		mode pooling.Mode
		want [][]float32
	}{{pooling.Mean, ref.BatchMean}, {pooling.LastToken, ref.BatchLast}} {
		got, err := e.EmbedEncodings(encs, Options{Pooling: tc.mode})
		if err != nil {
			t.Fatal(err)
		}
		minCos := 1.0
		for i := range got {
			minCos = min(minCos, cosine(got[i], tc.want[i]))
		}
		if minCos < 0.99999 {
			t.Errorf("%s pooling: min cosine %.7f", tc.mode, minCos)
		}
		t.Logf("%s pooling: min cosine %.9f", tc.mode, minCos)
	}
	t.Logf("%d cases: last_hidden_state max abs diff %.3g", len(ref.Cases), worst)
}
