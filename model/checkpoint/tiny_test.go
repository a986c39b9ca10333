package checkpoint

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/bert"
)

// tinyConfig is a 2-layer BERT small enough to build in a test.
var tinyConfig = bertConfig{
	VocabSize: 8, HiddenSize: 4, NumHiddenLayers: 2, NumAttentionHeads: 2, IntermediateSize: 6,
	MaxPositionEmbeddings: 10, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu",
}

var tinyVocab = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s"}

// tinyWeights returns random weights for tinyConfig with HF names (bert.
// prefix) plus a pooler.
func tinyWeights() map[string]Weight { return randomWeights(tinyConfig) }

// randomWeights returns random weights for c with HF names, plus a pooler.
func randomWeights(c bertConfig) map[string]Weight {
	rng := rand.New(rand.NewPCG(1, 1))
	out := map[string]Weight{}
	specs := bert.Tensors(bert.Config(c), true)
	for _, s := range specs {
		n := 1
		for _, d := range s.Shape {
			n *= d
		}
		data := make([]float32, n)
		for i := range data {
			data[i] = float32(rng.NormFloat64())
		}
		out["bert."+s.Name] = Weight{Shape: s.Shape, Data: data}
	}
	return out
}

// writeSafetensors writes weights as an F32 safetensors file.
func writeSafetensors(t testing.TB, path string, weights map[string]Weight) {
	t.Helper()
	names := make([]string, 0, len(weights))
	for n := range weights {
		names = append(names, n)
	}
	sort.Strings(names)
	hdr := map[string]any{"__metadata__": map[string]string{"format": "pt"}}
	var data []byte
	for _, n := range names {
		w := weights[n]
		begin := len(data)
		for _, v := range w.Data {
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(v))
		}
		hdr[n] = map[string]any{"dtype": "F32", "shape": w.Shape, "data_offsets": []int{begin, len(data)}}
	}
	js, err := json.Marshal(hdr)
	if err != nil {
		t.Fatal(err)
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
	out = append(append(out, js...), data...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeTinyCheckpoint lays out a sentence-transformers style checkpoint.
func writeTinyCheckpoint(t testing.TB, dir string, weights map[string]Weight) {
	t.Helper()
	files := map[string]any{
		"config.json":               tinyConfig,
		"tokenizer_config.json":     map[string]any{"do_lower_case": true, "model_max_length": 10, "strip_accents": nil},
		"modules.json":              []map[string]string{{"path": "", "type": "sentence_transformers.models.Transformer"}, {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}, {"path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}},
		"1_Pooling/config.json":     map[string]bool{"pooling_mode_mean_tokens": true},
		"sentence_bert_config.json": map[string]int{"max_seq_length": 8},
	}
	for name, v := range files {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte(strings.Join(tinyVocab, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeSafetensors(t, filepath.Join(dir, "model.safetensors"), weights)
}
