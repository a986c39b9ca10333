//go:build !wasmbert_core

package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/similarity"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// TestRobertaFamilyEndToEnd converts the tiny random RoBERTa (byte-level
// BPE), XLM-R (Unigram) and e5-layout (BERT with Unigram) checkpoints, loads the files and holds the token
// ids to transformers and the embeddings to sentence-transformers: f32
// within 1e-5, int8 within the cosine the project holds int8 to.
func TestRobertaFamilyEndToEnd(t *testing.T) {
	for _, tt := range []struct{ name, tokenizer string }{{"tiny_roberta", "bpe"}, {"tiny_xlmr", "unigram"}, {"tiny_e5", "unigram"}} {
		raw, err := os.ReadFile(filepath.Join("..", "bert", "testdata", tt.name+"_reference.json"))
		if err != nil {
			t.Fatal(err)
		}
		var ref struct{ Cases []tinyCase }
		if err := json.Unmarshal(raw, &ref); err != nil {
			t.Fatal(err)
		}
		texts := make([]string, len(ref.Cases))
		for i, c := range ref.Cases {
			texts[i] = c.Text
		}
		for _, dt := range []modelfile.DType{modelfile.F32, modelfile.I8} {
			t.Run(tt.name+"/"+string(dt), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "m.wbm")
				if _, err := checkpoint.Convert(filepath.Join("..", "bert", "testdata", tt.name), path, checkpoint.ConvertOptions{DType: dt}); err != nil {
					t.Fatal(err)
				}
				e, err := LoadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if info := e.Info(); info.Tokenizer != tt.tokenizer || info.Pooling != "mean" || info.MaxLength != 64 {
					t.Errorf("info %+v", info)
				}
				got, err := e.Embed(texts, EmbedOptions{})
				if err != nil {
					t.Fatal(err)
				}
				for i, c := range ref.Cases {
					enc, err := e.Tokenize(c.Text)
					if err != nil || !slices.Equal(enc.IDs, c.IDs) {
						t.Errorf("%q: ids %v, want %v (%v)", c.Text, enc.IDs, c.IDs, err)
					}
					switch dt {
					case modelfile.F32:
						if d := maxAbsDiff(got[i].Vector, c.Embedding); d > 1e-5 {
							t.Errorf("%q: max abs diff %g", c.Text, d)
						}
					default:
						if cos, err := similarity.Cosine(got[i].Vector, c.Embedding); err != nil || cos < 0.999 {
							t.Errorf("%q: cosine %.5f (%v)", c.Text, cos, err)
						}
					}
				}
			})
		}
	}
}

// TestNewTokenizerErrors checks the header records an engine must reject.
func TestNewTokenizerErrors(t *testing.T) {
	bpe := &tokenizer.PipelineSpec{Model: "bpe"}
	tests := []struct {
		name  string
		c     modelfile.TokenizerConfig
		vocab int
		want  string
	}{
		{"unknown type", modelfile.TokenizerConfig{Type: "wordlevel"}, 10, `tokenizer type "wordlevel" not supported`},
		{"no pipeline", modelfile.TokenizerConfig{Type: "bpe", Vocab: []string{"a"}}, 10, "without its pipeline record"},
		{"type mismatch", modelfile.TokenizerConfig{Type: "unigram", Vocab: []string{"a"}, Pipeline: bpe}, 10, "without its pipeline record"},
		{"more tokens than word table rows", modelfile.TokenizerConfig{Type: "bpe", Vocab: []string{"a", "b", "c"}, Pipeline: bpe}, 2, "3 tokens, the model's word table 2"},
	}
	for _, tt := range tests {
		if _, err := newTokenizer(&tt.c, tt.vocab); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
