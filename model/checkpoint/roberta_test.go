package checkpoint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyDir copies the files of a checkpoint directory (one level of
// subdirectories) into a temporary one the test may break.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editJSON rewrites a JSON file of dir through edit.
func editJSON(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	edit(v)
	if b, err = json.Marshal(v); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadRobertaFamily loads the tiny RoBERTa and XLM-R checkpoints and
// checks what the converter stores, and that broken ones fail naming the
// file and field.
func TestLoadRobertaFamily(t *testing.T) {
	for _, tt := range []struct{ dir, modelType, tokenizer string }{
		{"tiny_roberta", "roberta", "bpe"}, {"tiny_xlmr", "xlm-roberta", "unigram"}, {"tiny_e5", "", "unigram"},
	} {
		ck, err := Load(filepath.Join("..", "bert", "testdata", tt.dir))
		if err != nil {
			t.Fatal(err)
		}
		tok := ck.Tokenizer
		if ck.Config.ModelType != tt.modelType || tok.Type != tt.tokenizer || tok.Pipeline == nil ||
			tok.Pipeline.Model != tt.tokenizer || tok.Pipeline.Vocab != nil || len(tok.Vocab) == 0 ||
			tok.MaxSeqLength != 64 || tok.ModelMaxLength != 512 || ck.Pooling.Mode != "mean" {
			t.Errorf("%s: config %+v, tokenizer type %q, pipeline set %v, %d tokens, lengths %d/%d, pooling %+v",
				tt.dir, ck.Config, tok.Type, tok.Pipeline != nil, len(tok.Vocab), tok.MaxSeqLength, tok.ModelMaxLength, ck.Pooling)
		}
	}

	tests := []struct {
		name, dir string
		mutate    func(dir string)
		want      []string
	}{
		{"unsupported architecture", "tiny_roberta", func(d string) {
			editJSON(t, filepath.Join(d, "config.json"), func(v map[string]any) { v["model_type"] = "gpt2" })
		}, []string{"config.json", `model_type "gpt2"`}},
		{"vocab_size below the tokenizer's ids", "tiny_xlmr", func(d string) {
			editJSON(t, filepath.Join(d, "config.json"), func(v map[string]any) { v["vocab_size"] = 1000 })
		}, []string{"tokenizer.json has 1936 tokens", "vocab_size is 1000"}},
		{"unknown tokenizer model", "tiny_roberta", func(d string) {
			editJSON(t, filepath.Join(d, "tokenizer.json"), func(v map[string]any) { v["model"].(map[string]any)["type"] = "WordLevel" })
		}, []string{"tokenizer.json", `model.type: unsupported model type "WordLevel"`}},
		{"missing merge token", "tiny_roberta", func(d string) {
			editJSON(t, filepath.Join(d, "tokenizer.json"), func(v map[string]any) {
				m := v["model"].(map[string]any)
				m["merges"] = append(m["merges"].([]any), []any{"zzz", "qqq"})
			})
		}, []string{"tokenizer.json", `("zzz" "qqq"): token not in the vocabulary`}},
		{"positions too few for padding_idx", "tiny_roberta", func(d string) {
			editJSON(t, filepath.Join(d, "config.json"), func(v map[string]any) { v["max_position_embeddings"] = 2 })
		}, []string{"config.json", "leaves no position"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, filepath.Join("..", "bert", "testdata", tc.dir))
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
