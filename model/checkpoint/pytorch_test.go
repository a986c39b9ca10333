package checkpoint

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// pytorchScript saves a state dict with torch.save (zip format), with a
// non-contiguous (transposed) tensor, an f16 tensor and an int64 buffer,
// plus the same values as a safetensors file to compare against.
const pytorchScript = `
import sys, torch
from safetensors.torch import save_file
torch.manual_seed(0)
w = torch.randn(5, 3)
sd = {
    "bert.a.weight": torch.randn(3, 4),
    "bert.t.weight": w.t(),
    "bert.h.weight": torch.randn(7).half(),
    "bert.embeddings.position_ids": torch.arange(4).unsqueeze(0),
}
torch.save(sd, sys.argv[1] + "/pytorch_model.bin")
ref = {k: v.float().contiguous() for k, v in sd.items() if k != "bert.embeddings.position_ids"}
save_file(ref, sys.argv[1] + "/ref.safetensors")
`

// TestReadPytorch builds a small pytorch_model.bin with the pinned Python
// reference env (torch 2.15.0; tools/reference/requirements.txt) and checks
// it reads like the safetensors copy of the same tensors.
func TestReadPytorch(t *testing.T) {
	python := os.Getenv("WASMBERT_PYTHON")
	if python == "" {
		python = "/work/pyref/bin/python"
	}
	if _, err := os.Stat(python); err != nil {
		t.Skipf("no Python reference env at %s (set WASMBERT_PYTHON): %v", python, err)
	}
	dir := t.TempDir()
	if out, err := exec.Command(python, "-c", pytorchScript, dir).CombinedOutput(); err != nil {
		t.Fatalf("make pytorch_model.bin: %v\n%s", err, out)
	}
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
		if !sameShape(g.Shape, w.Shape) {
			t.Fatalf("%s: shape %v, want %v", name, g.Shape, w.Shape)
		}
		for i := range w.Data {
			if g.Data[i] != w.Data[i] {
				t.Fatalf("%s[%d] = %g, want %g", name, i, g.Data[i], w.Data[i])
			}
		}
	}
}
