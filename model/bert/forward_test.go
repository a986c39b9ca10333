package bert

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func maxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}

type tinyCase struct {
	Text         string        `json:"text"`
	IDs          []int32       `json:"ids"`
	TypeIDs      []int32       `json:"type_ids"`
	HiddenStates [][][]float32 `json:"hidden_states"`
}

func loadTiny(t testing.TB) (Config, map[string][]float32, []tinyCase) {
	cfg, w := loadCheckpoint(t, filepath.Join("testdata", "tiny"))
	raw, err := os.ReadFile(filepath.Join("testdata", "tiny_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []tinyCase }
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return cfg, w, ref.Cases
}

func flatten(rows [][]float32) []float32 {
	var v []float32
	for _, r := range rows {
		v = append(v, r...)
	}
	return v
}

// TestTinyMatchesTransformers checks the fast and the spago forward against
// every hidden state HF transformers computed for the tiny random model.
func TestTinyMatchesTransformers(t *testing.T) {
	cfg, w, cases := loadTiny(t)
	m, err := New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	var ws Workspace
	for _, c := range cases {
		out, err := m.Forward(&ws, Input{IDs: c.IDs, TypeIDs: c.TypeIDs, Batch: 1, SeqLen: len(c.IDs), AllHidden: true})
		if err != nil {
			t.Fatalf("%q: %v", c.Text, err)
		}
		ref, err := ReferenceForward(cfg, w, c.IDs, c.TypeIDs)
		if err != nil {
			t.Fatalf("%q: %v", c.Text, err)
		}
		for l, want := range c.HiddenStates {
			if d := maxAbsDiff(out.All[l], flatten(want)); d > 1e-4 {
				t.Errorf("%q layer %d: fast forward max abs diff %g", c.Text, l, d)
			}
			if d := maxAbsDiff(ref[l], flatten(want)); d > 1e-4 {
				t.Errorf("%q layer %d: reference forward max abs diff %g", c.Text, l, d)
			}
		}
		if &out.Last[0] != &out.All[cfg.NumHiddenLayers][0] {
			t.Errorf("Last is not the last hidden state")
		}
	}
}

func randomWeights(cfg Config, rng *rand.Rand) map[string][]float32 {
	w := map[string][]float32{}
	b := &Builder{cfg: cfg}
	for _, name := range b.expected() {
		shape, _ := b.shapeOf(name)
		v := make([]float32, product(shape))
		for i := range v {
			v[i] = float32(rng.NormFloat64() * 0.1)
			if strings.HasSuffix(name, "LayerNorm.weight") {
				v[i] += 1
			}
		}
		w[name] = v
	}
	return w
}

// TestForwardMatchesReference runs padded batches of random lengths through
// random models of tiny and MiniLM shape and holds every real token's hidden
// states to the spago reference of its sequence alone.
func TestForwardMatchesReference(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		lens []int
	}{
		{"tiny gelu", Config{VocabSize: 50, HiddenSize: 32, NumHiddenLayers: 2, NumAttentionHeads: 4, IntermediateSize: 64, MaxPositionEmbeddings: 40, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}, []int{5, 1, 17, 9}},
		{"tiny gelu_new", Config{VocabSize: 50, HiddenSize: 20, NumHiddenLayers: 1, NumAttentionHeads: 5, IntermediateSize: 37, MaxPositionEmbeddings: 40, TypeVocabSize: 3, LayerNormEps: 1e-5, HiddenAct: "gelu_new"}, []int{3, 11}},
		{"tiny relu", Config{VocabSize: 50, HiddenSize: 24, NumHiddenLayers: 2, NumAttentionHeads: 2, IntermediateSize: 31, MaxPositionEmbeddings: 40, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "relu"}, []int{13}},
		{"minilm shape", Config{VocabSize: 300, HiddenSize: 384, NumHiddenLayers: 2, NumAttentionHeads: 12, IntermediateSize: 1536, MaxPositionEmbeddings: 128, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}, []int{23, 6, 41}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(tt.name))))
			w := randomWeights(tt.cfg, rng)
			m, err := New(tt.cfg, w)
			if err != nil {
				t.Fatal(err)
			}
			s := 0
			for _, n := range tt.lens {
				s = max(s, n)
			}
			batch := len(tt.lens)
			ids, types, mask := make([]int32, batch*s), make([]int32, batch*s), make([]int32, batch*s)
			for b, n := range tt.lens {
				for j := 0; j < n; j++ {
					ids[b*s+j] = int32(rng.IntN(tt.cfg.VocabSize))
					types[b*s+j] = int32(rng.IntN(tt.cfg.TypeVocabSize))
					mask[b*s+j] = 1
				}
			}
			var ws Workspace
			out, err := m.Forward(&ws, Input{IDs: ids, TypeIDs: types, Mask: mask, Batch: batch, SeqLen: s, AllHidden: true})
			if err != nil {
				t.Fatal(err)
			}
			h := tt.cfg.HiddenSize
			for b, n := range tt.lens {
				ref, err := ReferenceForward(tt.cfg, w, ids[b*s:b*s+n], types[b*s:b*s+n])
				if err != nil {
					t.Fatal(err)
				}
				for l := range ref {
					got := out.All[l][b*s*h : (b*s+n)*h]
					if d := maxAbsDiff(got, ref[l]); d > 1e-4 {
						t.Errorf("sequence %d (len %d) layer %d: max abs diff %g", b, n, l, d)
					}
				}
			}
			// Without AllHidden the last state is the same.
			last, err := m.Forward(&ws, Input{IDs: ids, TypeIDs: types, Mask: mask, Batch: batch, SeqLen: s})
			if err != nil {
				t.Fatal(err)
			}
			ref0, _ := ReferenceForward(tt.cfg, w, ids[:tt.lens[0]], types[:tt.lens[0]])
			if d := maxAbsDiff(last.Last[:tt.lens[0]*h], ref0[len(ref0)-1]); d > 1e-4 {
				t.Errorf("last state only: max abs diff %g", d)
			}
		})
	}
}

func TestForwardRejectsBadInput(t *testing.T) {
	cfg := Config{VocabSize: 10, HiddenSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2, IntermediateSize: 8, MaxPositionEmbeddings: 6, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	m, err := New(cfg, randomWeights(cfg, rand.New(rand.NewPCG(1, 2))))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"empty batch", Input{}, "must be positive"},
		{"too long", Input{IDs: make([]int32, 7), Batch: 1, SeqLen: 7}, "exceed"},
		{"short ids", Input{IDs: make([]int32, 3), Batch: 1, SeqLen: 4}, "3 ids"},
		{"id out of vocab", Input{IDs: []int32{1, 10}, Batch: 1, SeqLen: 2}, "outside vocabulary"},
		{"negative id", Input{IDs: []int32{-1}, Batch: 1, SeqLen: 1}, "outside vocabulary"},
		{"type out of range", Input{IDs: []int32{1, 2}, TypeIDs: []int32{0, 2}, Batch: 1, SeqLen: 2}, "type id"},
		{"short types", Input{IDs: []int32{1, 2}, TypeIDs: []int32{0}, Batch: 1, SeqLen: 2}, "type ids"},
		{"bad mask value", Input{IDs: []int32{1, 2}, Mask: []int32{1, 2}, Batch: 1, SeqLen: 2}, "mask value"},
		{"all padding", Input{IDs: []int32{1, 2, 3, 4}, Mask: []int32{1, 0, 0, 0}, Batch: 2, SeqLen: 2}, "all padding"},
	}
	var ws Workspace
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Forward(&ws, tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestBuilderRejectsBadTensors(t *testing.T) {
	cfg := Config{VocabSize: 10, HiddenSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2, IntermediateSize: 8, MaxPositionEmbeddings: 6, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	w := randomWeights(cfg, rand.New(rand.NewPCG(1, 2)))
	tests := []struct {
		name string
		add  func(b *Builder) error
		want string
	}{
		{"unknown name", func(b *Builder) error {
			return b.AddFloat32("encoder.layer.0.foo.weight", []int{8}, make([]float32, 8))
		}, "unexpected tensor"},
		{"layer out of range", func(b *Builder) error {
			return b.AddFloat32("encoder.layer.1.output.dense.bias", []int{8}, make([]float32, 8))
		}, "unexpected tensor"},
		{"wrong shape", func(b *Builder) error {
			return b.AddFloat32("embeddings.word_embeddings.weight", []int{8, 10}, make([]float32, 80))
		}, "config wants"},
		{"short data", func(b *Builder) error {
			return b.AddFloat32("embeddings.LayerNorm.bias", []int{8}, make([]float32, 7))
		}, "does not match"},
		{"twice", func(b *Builder) error {
			b.AddFloat32("embeddings.LayerNorm.bias", []int{8}, make([]float32, 8))
			return b.AddFloat32("embeddings.LayerNorm.bias", []int{8}, make([]float32, 8))
		}, "twice"},
		{"missing", func(b *Builder) error {
			for _, n := range TensorNames(cfg)[1:] {
				shape, _ := b.shapeOf(n)
				if err := b.AddFloat32(n, shape, w[n]); err != nil {
					return err
				}
			}
			_, err := b.Done()
			return err
		}, "missing tensor embeddings.word_embeddings.weight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBuilder(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.add(b); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNewBuilderRejectsBadConfig(t *testing.T) {
	good := Config{VocabSize: 10, HiddenSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2, IntermediateSize: 8, MaxPositionEmbeddings: 6, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	tests := []struct {
		name   string
		mutate func(*Config)
	}{
		{"zero hidden", func(c *Config) { c.HiddenSize = 0 }},
		{"heads do not divide", func(c *Config) { c.NumAttentionHeads = 3 }},
		{"huge vocab", func(c *Config) { c.VocabSize = 1 << 40 }},
		{"no eps", func(c *Config) { c.LayerNormEps = 0 }},
		{"unknown act", func(c *Config) { c.HiddenAct = "swish" }},
	}
	for _, tt := range tests {
		c := good
		tt.mutate(&c)
		if _, err := NewBuilder(c); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func f32s(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
