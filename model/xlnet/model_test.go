package xlnet

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func randomTensors(cfg Config, rng *rand.Rand) map[string]Tensor {
	ts := make(map[string]Tensor)
	for name, shape := range TensorShapes(cfg) {
		data := make([]float32, product(shape))
		for i := range data {
			data[i] = float32(rng.NormFloat64() * 0.4)
		}
		ts[name] = Tensor{Shape: shape, Data: data}
	}
	return ts
}

func tinyConfig() Config {
	return Config{VocabSize: 50, DModel: 10, NLayer: 2, NHead: 3, DHead: 5, DInner: 7,
		FFActivation: "gelu", LayerNormEps: 1e-12, AttnType: "bi", ClampLen: -1}
}

// TestForwardOddShapes holds Forward to the reference on random weights of
// shapes the fixture does not have: heads that do not divide d_model, an
// odd d_inner, relu, clamped distances, one token, with and without segments.
func TestForwardOddShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	relu := tinyConfig()
	relu.FFActivation = "relu"
	clamped := tinyConfig()
	clamped.ClampLen = 2
	for _, tc := range []struct {
		name string
		cfg  Config
		seq  int
		segs bool
	}{
		{"one token", tinyConfig(), 1, true},
		{"odd shapes", tinyConfig(), 9, true},
		{"no segments", tinyConfig(), 6, false},
		{"relu", relu, 5, true},
		{"clamp_len 2", clamped, 11, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tensors := randomTensors(tc.cfg, rng)
			m, err := New(tc.cfg, tensors)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]int32, tc.seq)
			var types []int32
			for i := range ids {
				ids[i] = rng.Int32N(int32(tc.cfg.VocabSize))
			}
			if tc.segs {
				for i := range ids {
					types = append(types, int32(min(2, 3*i/tc.seq)))
				}
			}
			ref, err := referenceForward(tc.cfg, tensors, ids, types)
			if err != nil {
				t.Fatal(err)
			}
			var ws Workspace
			out, err := m.Forward(&ws, Input{IDs: ids, TypeIDs: types, Batch: 1, SeqLen: tc.seq, AllHidden: true})
			if err != nil {
				t.Fatal(err)
			}
			for l := range ref {
				if e := maxAbsDiff(out.All[l], ref[l]); e > tol {
					t.Errorf("layer %d differs from the reference by %.3g", l, e)
				}
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*Config, map[string]Tensor)
		errHas string
	}{
		{"uni attention", func(c *Config, _ map[string]Tensor) { c.AttnType = "uni" }, `attn_type "uni"`},
		{"bi_data", func(c *Config, _ map[string]Tensor) { c.BiData = true }, "bi_data"},
		{"activation", func(c *Config, _ map[string]Tensor) { c.FFActivation = "swish" }, `ff_activation "swish"`},
		{"zero heads", func(c *Config, _ map[string]Tensor) { c.NHead = 0 }, "n_head = 0"},
		{"odd d_model", func(c *Config, _ map[string]Tensor) { c.DModel = 9 }, "d_model = 9 is odd"},
		{"missing tensor", func(_ *Config, ts map[string]Tensor) { delete(ts, "layer.1.rel_attn.r") }, "missing tensor layer.1.rel_attn.r"},
		{"wrong shape", func(_ *Config, ts map[string]Tensor) {
			ts["word_embedding.weight"] = Tensor{Shape: []int{49, 10}, Data: make([]float32, 490)}
		}, "tensor word_embedding.weight has shape [49 10]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tinyConfig()
			ts := randomTensors(cfg, rand.New(rand.NewPCG(3, 4)))
			tc.edit(&cfg, ts)
			_, err := New(cfg, ts)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("New: %v, want an error with %q", err, tc.errHas)
			}
		})
	}
}

func TestForwardRejects(t *testing.T) {
	cfg := tinyConfig()
	m, err := New(cfg, randomTensors(cfg, rand.New(rand.NewPCG(5, 6))))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		in     Input
		errHas string
	}{
		{"empty", Input{Batch: 1}, "both must be positive"},
		{"id count", Input{IDs: []int32{1, 2}, Batch: 1, SeqLen: 3}, "2 ids for batch 1 × 3"},
		{"id range", Input{IDs: []int32{1, 50}, Batch: 1, SeqLen: 2}, "id 50 out of range"},
		{"negative id", Input{IDs: []int32{-1}, Batch: 1, SeqLen: 1}, "id -1 out of range"},
		{"type count", Input{IDs: []int32{1, 2}, TypeIDs: []int32{0}, Batch: 1, SeqLen: 2}, "1 type ids"},
		{"mask value", Input{IDs: []int32{1, 2}, Mask: []int32{1, 2}, Batch: 1, SeqLen: 2}, "mask value 2"},
		{"all padding", Input{IDs: []int32{1, 2, 3, 4}, Mask: []int32{1, 1, 0, 0}, Batch: 2, SeqLen: 2}, "sequence 1 is all padding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ws Workspace
			_, err := m.Forward(&ws, tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("Forward: %v, want an error with %q", err, tc.errHas)
			}
		})
	}
}

// TestForwardSteadyStateAllocs checks that a warmed-up Workspace makes
// Forward allocate nothing.
func TestForwardSteadyStateAllocs(t *testing.T) {
	cfg := tinyConfig()
	m, err := New(cfg, randomTensors(cfg, rand.New(rand.NewPCG(9, 10))))
	if err != nil {
		t.Fatal(err)
	}
	in := Input{IDs: []int32{1, 2, 3, 4, 5, 6}, TypeIDs: []int32{3, 0, 0, 1, 1, 2}, Mask: []int32{0, 1, 1, 1, 1, 1}, Batch: 2, SeqLen: 3}
	var ws Workspace
	if _, err := m.Forward(&ws, in); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(10, func() { m.Forward(&ws, in) }); n != 0 {
		t.Errorf("Forward allocates %v times per run", n)
	}
}
