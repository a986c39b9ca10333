package checkpoint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

var xlnetTiny = filepath.Join("..", "xlnet", "testdata", "tiny")

// TestLoadXLNet reads the tiny XLNet checkpoint as the model file stores
// it: config under BERT's names plus the xlnet key, the Unigram tokenizer,
// mean pooling (no sentence-transformers modules), projections [out, in].
func TestLoadXLNet(t *testing.T) {
	ck, err := Load(xlnetTiny)
	if err != nil {
		t.Fatal(err)
	}
	c := ck.Config
	if c.ModelType != modelfile.ModelTypeXLNet || c.HiddenSize != 32 || c.NumHiddenLayers != 2 || c.NumAttentionHeads != 4 ||
		c.IntermediateSize != 64 || c.VocabSize != 1939 || c.HiddenAct != "gelu" || ck.XLNet == nil || *ck.XLNet != (modelfile.XLNetConfig{DHead: 8, ClampLen: -1}) {
		t.Errorf("config %+v, xlnet %+v", c, ck.XLNet)
	}
	if ck.Tokenizer.Type != modelfile.TokenizerUnigram || ck.Pooling.Mode != "mean" || ck.Pooling.Normalize {
		t.Errorf("tokenizer %q, pooling %+v", ck.Tokenizer.Type, ck.Pooling)
	}
	if w := ck.Tensors["layer.1.rel_attn.q.weight"]; len(w.Shape) != 2 || w.Shape[0] != 32 || w.Shape[1] != 32 || ck.Order[0] != "word_embedding.weight" {
		t.Errorf("q shape %v, first tensor %s", w.Shape, ck.Order[0])
	}
	o := ConvertOptions{DType: modelfile.I4}
	for name, want := range map[string]modelfile.DType{
		"word_embedding.weight": modelfile.I8, "layer.0.rel_attn.q.weight": modelfile.I4, "layer.0.rel_attn.v.weight": modelfile.I8,
		"layer.0.rel_attn.o.weight": modelfile.I8, "layer.0.ff.layer_1.weight": modelfile.I4, "layer.0.rel_attn.r_w_bias": modelfile.F32,
		"layer.0.rel_attn.seg_embed": modelfile.F32, "layer.0.ff.layer_norm.weight": modelfile.F32,
	} {
		if got := o.DTypeFor(name, ck.Tensors[name].Shape); got != want {
			t.Errorf("int4 conversion stores %s as %s, want %s", name, got, want)
		}
	}
}

// TestLoadXLNetRejects checks that an XLNet checkpoint the encoder cannot
// run fails with an error naming the file and the field or tensor.
func TestLoadXLNetRejects(t *testing.T) {
	config := func(key string, v any) func(string) {
		return func(d string) {
			editJSON(t, filepath.Join(d, "config.json"), func(m map[string]any) { m[key] = v })
		}
	}
	for _, tc := range []struct {
		name   string
		mutate func(dir string)
		want   []string
	}{
		{"uni attention", config("attn_type", "uni"), []string{"config.json", `attn_type "uni" unsupported`}},
		{"bi_data", config("bi_data", true), []string{"config.json", "bi_data = true unsupported"}},
		{"memory", config("mem_len", 512), []string{"config.json", "mem_len = 512 unsupported"}},
		{"pad token outside vocabulary", config("pad_token_id", 5000), []string{"config.json", "pad_token_id 5000 outside vocabulary of 1939"}},
		{"odd d_model", config("d_model", 33), []string{"config.json", "d_model = 33 is odd"}},
		{"more layers than weights", config("n_layer", 3), []string{"model.safetensors", "missing tensor layer.2."}},
		{"d_inner unlike the weights", config("d_inner", 65), []string{"model.safetensors", ".ff.layer_", "want ["}},
		{"vocab_size below the tokenizer's ids", config("vocab_size", 1000), []string{"tokenizer.json has", "vocab_size is 1000"}},
		{"no tokenizer.json", func(d string) {
			if err := os.Remove(filepath.Join(d, "tokenizer.json")); err != nil {
				t.Fatal(err)
			}
		}, []string{"tokenizer"}},
		{"no weights", func(d string) {
			if err := os.Remove(filepath.Join(d, "model.safetensors")); err != nil {
				t.Fatal(err)
			}
		}, []string{"no weights"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, xlnetTiny)
			tc.mutate(dir)
			_, err := Load(dir)
			for _, want := range tc.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("err = %v, want it to contain %q", err, want)
				}
			}
		})
	}
}
