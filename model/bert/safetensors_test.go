package bert

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// readSafetensors reads the F32 tensors of a safetensors file, stripping a
// "bert." prefix. It is a test helper only: model/checkpoint owns the real
// reader.
func readSafetensors(t testing.TB, path string) map[string][]float32 {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(raw)
	var header map[string]json.RawMessage
	if err := json.Unmarshal(raw[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	data := raw[8+n:]
	out := map[string][]float32{}
	for name, msg := range header {
		if name == "__metadata__" {
			continue
		}
		var info struct {
			DType   string   `json:"dtype"`
			Offsets [2]int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(msg, &info); err != nil {
			t.Fatal(err)
		}
		if info.DType != "F32" {
			continue
		}
		b := data[info.Offsets[0]:info.Offsets[1]]
		v := make([]float32, len(b)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		if len(name) > 5 && name[:5] == "bert." {
			name = name[5:]
		}
		out[name] = v
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
