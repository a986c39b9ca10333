package xlnet

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmbert/wasmbert/internal/safetensors"
)

// fixture is tiny_reference.json (tools/reference/make_xlnet_fixture.py):
// XLNetModel's outputs on the tiny random model in testdata/tiny. Hidden
// states are offsets (in floats) into tiny_hidden.f32.
type fixture struct {
	Cases []struct {
		Text    string    `json:"text"`
		Pair    *string   `json:"pair"`
		IDs     []int32   `json:"ids"`
		TypeIDs []int32   `json:"type_ids"`
		Hidden  int       `json:"hidden"`
		Mean    []float32 `json:"mean"`
		Last    []float32 `json:"last"`
	} `json:"cases"`
	Batch struct {
		IDs        [][]int32   `json:"ids"`
		TypeIDs    [][]int32   `json:"type_ids"`
		Mask       [][]int32   `json:"mask"`
		Last       int         `json:"last"`
		PooledMean [][]float32 `json:"pooled_mean"`
		PooledLast [][]float32 `json:"pooled_last"`
	} `json:"batch"`
	floats []float32
}

func loadFixture(t testing.TB) *fixture {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "tiny_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "tiny_hidden.f32"))
	if err != nil {
		t.Fatal(err)
	}
	fx.floats = make([]float32, len(b)/4)
	for i := range fx.floats {
		fx.floats[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return &fx
}

// loadTiny reads the tiny model's config.json and model.safetensors.
func loadTiny(t testing.TB) (Config, map[string]Tensor) {
	t.Helper()
	dir := filepath.Join("testdata", "tiny")
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts, err := safetensors.Read(f, func(_, dtype string) bool { return safetensors.Float(dtype) })
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]Tensor, len(ts))
	for name, tt := range ts {
		out[name] = Tensor{Shape: tt.Shape, Data: tt.Data}
	}
	return cfg, out
}

func maxAbsDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}

// tol is the brief's bound for fp32 against the reference.
const tol = 1e-5

// TestForwardMatchesReference holds Forward and the spago reference to HF's
// hidden states, every layer, for single texts and pairs with segments, and
// Forward to the reference.
func TestForwardMatchesReference(t *testing.T) {
	cfg, tensors := loadTiny(t)
	fx := loadFixture(t)
	m, err := New(cfg, tensors)
	if err != nil {
		t.Fatal(err)
	}
	var ws Workspace
	d := cfg.DModel
	var worstRef, worstFast, worstFastRef float64
	for _, c := range fx.Cases {
		s := len(c.IDs)
		want := fx.floats[c.Hidden : c.Hidden+(cfg.NLayer+1)*s*d]
		ref, err := referenceForward(cfg, tensors, c.IDs, c.TypeIDs)
		if err != nil {
			t.Fatal(err)
		}
		out, err := m.Forward(&ws, Input{IDs: c.IDs, TypeIDs: c.TypeIDs, Batch: 1, SeqLen: s, AllHidden: true})
		if err != nil {
			t.Fatal(err)
		}
		for l := range cfg.NLayer + 1 {
			hf := want[l*s*d : (l+1)*s*d]
			eRef, eFast, eFastRef := maxAbsDiff(ref[l], hf), maxAbsDiff(out.All[l], hf), maxAbsDiff(out.All[l], ref[l])
			if eRef > tol {
				t.Errorf("%q: reference layer %d differs from HF by %.3g", c.Text, l, eRef)
			}
			if eFast > tol {
				t.Errorf("%q: Forward layer %d differs from HF by %.3g", c.Text, l, eFast)
			}
			if eFastRef > tol {
				t.Errorf("%q: Forward layer %d differs from the reference by %.3g", c.Text, l, eFastRef)
			}
			worstRef, worstFast, worstFastRef = max(worstRef, eRef), max(worstFast, eFast), max(worstFastRef, eFastRef)
		}
	}
	t.Logf("%d cases, max abs diff: reference vs HF %.3g, Forward vs HF %.3g, Forward vs reference %.3g",
		len(fx.Cases), worstRef, worstFast, worstFastRef)
}

// TestForwardLeftPaddedBatch runs every case as one batch padded on the left,
// as XLNet's tokenizer pads, with segment 3 for the padding, and compares
// the whole last_hidden_state, padding rows included, with HF's.
func TestForwardLeftPaddedBatch(t *testing.T) {
	cfg, tensors := loadTiny(t)
	fx := loadFixture(t)
	m, err := New(cfg, tensors)
	if err != nil {
		t.Fatal(err)
	}
	b := len(fx.Batch.IDs)
	s := len(fx.Batch.IDs[0])
	var in Input
	in.Batch, in.SeqLen = b, s
	for i := range b {
		in.IDs = append(in.IDs, fx.Batch.IDs[i]...)
		in.TypeIDs = append(in.TypeIDs, fx.Batch.TypeIDs[i]...)
		in.Mask = append(in.Mask, fx.Batch.Mask[i]...)
	}
	var ws Workspace
	out, err := m.Forward(&ws, in)
	if err != nil {
		t.Fatal(err)
	}
	want := fx.floats[fx.Batch.Last : fx.Batch.Last+b*s*cfg.DModel]
	e := maxAbsDiff(out.Last, want)
	if e > tol {
		t.Errorf("batch of %d × %d: last_hidden_state differs from HF by %.3g", b, s, e)
	}
	t.Logf("batch of %d × %d: max abs diff from HF %.3g", b, s, e)
}
