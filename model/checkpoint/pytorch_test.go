package checkpoint

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestReadPytorch reads a small pytorch_model.bin written by torch.save
// (tools/reference/make_pytorch_fixture.py: a transposed tensor, an f16
// tensor and an int64 buffer) and checks it against the safetensors copy of
// the same tensors.
func TestReadPytorch(t *testing.T) {
	dir := filepath.Join("testdata", "pytorch")
	got, err := readPytorch(filepath.Join(dir, "pytorch_model.bin"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := readSafetensors(filepath.Join(dir, "ref.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d tensors, want %d (position_ids skipped)", len(got), len(want))
	}
	for name, w := range want {
		g := got[name]
		if !slices.Equal(g.Shape, w.Shape) {
			t.Fatalf("%s: shape %v, want %v", name, g.Shape, w.Shape)
		}
		for i := range w.Data {
			if g.Data[i] != w.Data[i] {
				t.Fatalf("%s[%d] = %g, want %g", name, i, g.Data[i], w.Data[i])
			}
		}
	}
}
