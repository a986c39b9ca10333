package bert

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/wasmbert/wasmbert/model/kernel"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// TestInt4LinearsStayInteger loads --dtype int4's recipe at MiniLM's widths:
// no Linear may be widened to f32, and the last hidden state must stay as
// close to that of the f32 expansion of the stored weights as an int8
// file's stays to its own: both add only the activations' quantization,
// int4's to int16 under a looser bound than int8's (int4ActLimit).
func TestInt4LinearsStayInteger(t *testing.T) {
	cfg := Config{VocabSize: 300, HiddenSize: 384, NumHiddenLayers: 2, NumAttentionHeads: 12, IntermediateSize: 1536, MaxPositionEmbeddings: 64, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	rng := rand.New(rand.NewPCG(21, 22))
	w := randomWeights(cfg, rng)
	in := Input{IDs: make([]int32, 29), Batch: 1, SeqLen: 29}
	for i := range in.IDs {
		in.IDs[i] = int32(rng.IntN(cfg.VocabSize))
	}
	f32Type := reflect.TypeOf(kernel.NewF32(make([]float32, 1), nil, 1, 1))
	deviation := map[string]float64{}
	for _, tt := range []struct {
		name   string
		group  int
		matrix func(string) modelfile.DType
	}{{"int8", 0, int8Matrix}, {"int4", 16, int4Matrix}} {
		tensors := quantizedTensors(t, cfg, w, tt.group, tt.matrix)
		m := buildModel(t, cfg, tensors)
		for i, l := range m.layers {
			for _, lin := range []kernel.Linear{l.qkv, l.attnOut, l.intermediate, l.output} {
				if reflect.TypeOf(lin) == f32Type {
					t.Fatalf("%s: layer %d has an f32 Linear", tt.name, i)
				}
			}
		}
		expanded := map[string][]float32{}
		for _, tensor := range tensors {
			v, err := tensor.Float32()
			if err != nil {
				t.Fatal(err)
			}
			expanded[tensor.Name] = v
		}
		ref, err := New(cfg, expanded)
		if err != nil {
			t.Fatal(err)
		}
		var ws1, ws2 Workspace
		got, err := m.Forward(&ws1, in)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ref.Forward(&ws2, in)
		if err != nil {
			t.Fatal(err)
		}
		deviation[tt.name] = maxAbsDiff(got.Last, want.Last)
	}
	t.Logf("max |hidden − expansion's|: int8 %.3g, int4 %.3g", deviation["int8"], deviation["int4"])
	if d := deviation["int4"]; !(d <= 2*deviation["int8"]) || math.IsNaN(d) {
		t.Errorf("int4 moves the hidden state by %g from its expansion, int8 by %g", d, deviation["int8"])
	}
}
