//go:build unix

package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// TestWorkerdXLNet serves the tiny random XLNet checkpoint, converted to a
// model file, from real workerd and holds /v1/embeddings to transformers'
// XLNetModel (model/xlnet/testdata/tiny_reference.json): the model's default
// mean pooling, unnormalized, within 1e-5. Like TestWorkerd it builds the
// worker and needs workerd from npm ci, so it runs with WASMBERT_REAL_MODEL=1.
func TestWorkerdXLNet(t *testing.T) {
	if os.Getenv("WASMBERT_REAL_MODEL") != "1" {
		t.Skip("set WASMBERT_REAL_MODEL=1 (./build.sh test does; needs workerd from npm ci)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tiny := filepath.Join(root, "model", "xlnet", "testdata")
	modelFile := filepath.Join(t.TempDir(), "xlnet.f32.wbm")
	if _, err := checkpoint.Convert(filepath.Join(tiny, "tiny"), modelFile, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(tiny, "tiny_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Text string
			Pair *string
			Mean []float32
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	var texts []string
	var want [][]float32
	for _, c := range ref.Cases {
		if c.Pair == nil {
			texts, want = append(texts, c.Text), append(want, c.Mean)
		}
	}
	w := startWorkerd(t, root, modelFile)
	for _, format := range []string{"float", "base64"} {
		got := w.embed(t, texts, format)
		worst := 0.0
		for i := range want {
			if len(got[i]) != len(want[i]) {
				t.Fatalf("%s: vector %d has %d dimensions, want %d", format, i, len(got[i]), len(want[i]))
			}
			for k := range want[i] {
				worst = max(worst, math.Abs(float64(got[i][k]-want[i][k])))
			}
		}
		t.Logf("%s: %d texts, max abs diff from transformers %.3g", format, len(texts), worst)
		if worst > 1e-5 {
			t.Errorf("%s: max abs diff from transformers %.3g", format, worst)
		}
	}
}
