package engine

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/similarity"
)

// familyFixture is what tools/reference/make_family_fixtures.py wrote for
// one checkpoint layout: its prompts and, per text and prompt, the HF input
// ids and the sentence-transformers embedding.
type familyFixture struct {
	Prompts map[string]string
	Cases   []struct {
		Text      string
		Prompt    string
		IDs       []int32
		Embedding []float32
	}
}

// TestFamiliesMatchSentenceTransformers converts each checkpoint layout
// (bge: CLS + Normalize + query instruction; cased: cased vocabulary, mean
// pooling, e5 prompts; chinese: the bert-base-chinese vocabulary, max
// pooling) from its own config files and holds the engine to
// sentence-transformers, with and without prompts, at f32 and int8.
func TestFamiliesMatchSentenceTransformers(t *testing.T) {
	for _, name := range []string{"bge", "cased", "chinese"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "families", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var fx familyFixture
			if err := json.Unmarshal(raw, &fx); err != nil {
				t.Fatal(err)
			}
			for _, tt := range []struct {
				dtype           modelfile.DType
				minMean, minCos float64
			}{
				// The MiniLM bounds (minilm_test.go): f32 every cosine ≥ 0.99999,
				// int8 mean ≥ 0.999 and min ≥ 0.99.
				{modelfile.F32, 0.99999, 0.99999},
				{modelfile.I8, 0.999, 0.99},
			} {
				path := filepath.Join(t.TempDir(), name+".wbm")
				if _, err := checkpoint.Convert(filepath.Join("testdata", "families", name), path, checkpoint.ConvertOptions{DType: tt.dtype}); err != nil {
					t.Fatal(err)
				}
				e, err := LoadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if got := e.Info().Prompts; !maps.Equal(got, fx.Prompts) {
					t.Fatalf("%s: Info().Prompts = %q, want %q", tt.dtype, got, fx.Prompts)
				}
				var sum, minimum float64 = 0, 1
				for _, c := range fx.Cases {
					enc, err := e.Tokenize(fx.Prompts[c.Prompt] + c.Text)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(enc.IDs, c.IDs) {
						t.Errorf("%q with prompt %q: ids %v, HF %v", c.Text, c.Prompt, enc.IDs, c.IDs)
					}
					embs, err := e.Embed([]string{c.Text}, EmbedOptions{Prompt: c.Prompt})
					if err != nil {
						t.Fatal(err)
					}
					cos, err := similarity.Cosine(embs[0].Vector, c.Embedding)
					if err != nil {
						t.Fatal(err)
					}
					sum += float64(cos)
					minimum = min(minimum, float64(cos))
				}
				mean := sum / float64(len(fx.Cases))
				t.Logf("%s: %d cases, mean cosine %.6f, min %.6f", tt.dtype, len(fx.Cases), mean, minimum)
				if mean < tt.minMean || minimum < tt.minCos {
					t.Errorf("%s: mean cosine %.6f (want ≥ %g), min %.6f (want ≥ %g)", tt.dtype, mean, tt.minMean, minimum, tt.minCos)
				}
			}
		})
	}
}

// TestPromptUnknown rejects a prompt name the model lacks.
func TestPromptUnknown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cased.wbm")
	if _, err := checkpoint.Convert(filepath.Join("testdata", "families", "cased"), path, checkpoint.ConvertOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Embed([]string{"a"}, EmbedOptions{Prompt: "document"})
	if want := `embed: prompt "document": the model has no such prompt (see Info().Prompts)`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}
