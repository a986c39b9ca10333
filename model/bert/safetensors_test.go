package bert

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/internal/safetensors"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// readSafetensors reads the float tensors of a safetensors file, stripping
// a "bert." prefix.
func readSafetensors(t testing.TB, path string) map[string][]float32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts, err := safetensors.Read(f, func(_, dtype string) bool { return safetensors.Float(dtype) })
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := make(map[string][]float32, len(ts))
	for name, tt := range ts {
		out[strings.TrimPrefix(name, "bert.")] = tt.Data
	}
	return out
}

// loadCheckpoint reads config.json and model.safetensors of an HF checkpoint directory.
func loadCheckpoint(t testing.TB, dir string) (Config, map[string][]float32) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	// modelfile.BertConfig carries config.json's field names.
	var cfg modelfile.BertConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	return Config(cfg), readSafetensors(t, filepath.Join(dir, "model.safetensors"))
}
