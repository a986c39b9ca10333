package checkpoint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

func TestLoadTiny(t *testing.T) {
	dir := t.TempDir()
	weights := tinyWeights()
	writeTinyCheckpoint(t, dir, weights)
	ck, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Config != tinyConfig {
		t.Errorf("config %+v", ck.Config)
	}
	if ck.Pooling != (modelfile.PoolingConfig{Mode: "mean", Normalize: true}) {
		t.Errorf("pooling %+v", ck.Pooling)
	}
	tok := ck.Tokenizer
	if len(tok.Vocab) != 8 || tok.Vocab[7] != "##s" || !tok.DoLowerCase || tok.StripAccents != nil || tok.ModelMaxLength != 10 || tok.MaxSeqLength != 8 {
		t.Errorf("tokenizer %+v", tok)
	}
	if len(ck.Order) != 5+2*16+2 || ck.Order[0] != "embeddings.word_embeddings.weight" || ck.Order[len(ck.Order)-1] != "pooler.dense.bias" {
		t.Errorf("order %v", ck.Order)
	}
	for name, w := range weights {
		got := ck.Tensors[strings.TrimPrefix(name, "bert.")]
		for i := range w.Data {
			if got.Data[i] != w.Data[i] {
				t.Fatalf("%s[%d] = %g, want %g", name, i, got.Data[i], w.Data[i])
			}
		}
	}
}

func TestLoadTensorNames(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(w map[string]Weight)
		want   string // "" = loads fine
	}{
		{"legacy gamma/beta", func(w map[string]Weight) {
			w["bert.embeddings.LayerNorm.gamma"] = w["bert.embeddings.LayerNorm.weight"]
			w["bert.embeddings.LayerNorm.beta"] = w["bert.embeddings.LayerNorm.bias"]
			delete(w, "bert.embeddings.LayerNorm.weight")
			delete(w, "bert.embeddings.LayerNorm.bias")
		}, ""},
		{"no prefix", func(w map[string]Weight) {
			for k, v := range w {
				delete(w, k)
				w[strings.TrimPrefix(k, "bert.")] = v
			}
		}, ""},
		{"heads dropped", func(w map[string]Weight) {
			w["cls.predictions.bias"] = Weight{Shape: []int{8}, Data: make([]float32, 8)}
		}, ""},
		{"missing", func(w map[string]Weight) {
			delete(w, "bert.encoder.layer.1.output.dense.weight")
			delete(w, "bert.embeddings.LayerNorm.bias")
		}, "missing: embeddings.LayerNorm.bias, encoder.layer.1.output.dense.weight"},
		{"unexpected", func(w map[string]Weight) {
			w["bert.encoder.layer.2.output.dense.weight"] = Weight{Shape: []int{1}, Data: []float32{1}}
		}, "unexpected: encoder.layer.2.output.dense.weight"},
		{"wrong shape", func(w map[string]Weight) {
			w["bert.encoder.layer.0.intermediate.dense.weight"] = Weight{Shape: []int{4, 6}, Data: make([]float32, 24)}
		}, "wrong shape: encoder.layer.0.intermediate.dense.weight [4 6] (want [6 4])"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w := tinyWeights()
			tc.mutate(w)
			writeTinyCheckpoint(t, dir, w)
			ck, err := Load(dir)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := ck.Tensors["embeddings.LayerNorm.weight"]; !ok {
					t.Error("embeddings.LayerNorm.weight missing")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadBadFiles(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(dir string)
		want   string
	}{
		{"no config", func(d string) { os.Remove(filepath.Join(d, "config.json")) }, "config.json"},
		{"no weights", func(d string) { os.Remove(filepath.Join(d, "model.safetensors")) }, "no weights"},
		{"no tokenizer", func(d string) { os.Remove(filepath.Join(d, "vocab.txt")) }, "no tokenizer"},
		{"truncated safetensors", func(d string) {
			p := filepath.Join(d, "model.safetensors")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-10], 0o644)
		}, "data offsets"},
		{"bogus safetensors header", func(d string) {
			os.WriteFile(filepath.Join(d, "model.safetensors"), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '{'}, 0o644)
		}, "header length"},
		{"wrong model type", func(d string) {
			os.WriteFile(filepath.Join(d, "config.json"), []byte(`{"model_type":"gpt2","vocab_size":8}`), 0o644)
		}, "model_type"},
		{"vocab size mismatch", func(d string) {
			os.WriteFile(filepath.Join(d, "vocab.txt"), []byte("[PAD]\n[UNK]\n[CLS]\n[SEP]\n"), 0o644)
		}, "vocab_size is 8"},
		{"default prompt", func(d string) {
			os.WriteFile(filepath.Join(d, "config_sentence_transformers.json"), []byte(`{"prompts":{"query":"query: "},"default_prompt_name":"query"}`), 0o644)
		}, `config_sentence_transformers.json: default_prompt_name "query" not supported`},
		{"bad prompts", func(d string) {
			os.WriteFile(filepath.Join(d, "config_sentence_transformers.json"), []byte(`{"prompts":["query: "]}`), 0o644)
		}, "config_sentence_transformers.json: json: cannot unmarshal"},
		{"prompt excluded from pooling", func(d string) {
			os.WriteFile(filepath.Join(d, "1_Pooling", "config.json"), []byte(`{"pooling_mode_mean_tokens":true,"include_prompt":false}`), 0o644)
		}, "include_prompt false not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTinyCheckpoint(t, dir, tinyWeights())
			tc.mutate(dir)
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestConvertTiny(t *testing.T) {
	dir := t.TempDir()
	writeTinyCheckpoint(t, dir, tinyWeights())
	tests := []struct {
		opts                ConvertOptions
		wantLinear, wantEmb modelfile.DType
	}{
		{ConvertOptions{DType: modelfile.F32}, modelfile.F32, modelfile.F32},
		{ConvertOptions{DType: modelfile.F16}, modelfile.F16, modelfile.F16},
		{ConvertOptions{DType: modelfile.I8}, modelfile.I8, modelfile.I8},
		{ConvertOptions{DType: modelfile.I4}, modelfile.I4, modelfile.I8},
		{ConvertOptions{DType: modelfile.I4, Embeddings: modelfile.F16}, modelfile.I4, modelfile.F16},
		{ConvertOptions{DType: modelfile.I4, Embeddings: modelfile.I4}, modelfile.I4, modelfile.I4},
		{ConvertOptions{DType: modelfile.I8, Embeddings: modelfile.I4}, modelfile.I8, modelfile.I4},
	}
	for _, tc := range tests {
		out := filepath.Join(t.TempDir(), "m.wbm")
		if _, err := Convert(dir, out, tc.opts); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		h, tensors, err := modelfile.ReadAll(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]modelfile.DType{
			"embeddings.word_embeddings.weight":           tc.wantEmb,
			"embeddings.position_embeddings.weight":       modelfile.F32,
			"encoder.layer.1.attention.self.query.weight": tc.wantLinear,
			"encoder.layer.1.attention.self.query.bias":   modelfile.F32,
			"encoder.layer.0.output.LayerNorm.weight":     modelfile.F32,
			"pooler.dense.weight":                         tc.wantLinear,
		}
		for name, dt := range want {
			if got := h.Tensor(name).DType; got != dt {
				t.Errorf("%+v: %s stored as %s, want %s", tc.opts, name, got, dt)
			}
		}
		if len(tensors) != 39 || h.Tokenizer.MaxSeqLength != 8 || h.Pooling.Mode != "mean" {
			t.Errorf("%+v: %d tensors, header %+v", tc.opts, len(tensors), h.Tokenizer)
		}
	}
}
