package hfdir

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// edit returns the tokenizer.json of a testdata directory with f applied to its
// decoded JSON.
func edit(t *testing.T, dir string, f func(j map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", dir, "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]any
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	f(j)
	out, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func model(j map[string]any) map[string]any { return j["model"].(map[string]any) }

// TestPipelineErrors checks that bad tokenizer.json files fail with an error that
// names the file and the field at fault.
func TestPipelineErrors(t *testing.T) {
	tests := []struct {
		name, dir string
		edit      func(j map[string]any)
		want      string // in the error, after the file name
	}{
		{"unknown model type", "bpe", func(j map[string]any) { model(j)["type"] = "WordLevel" }, `model.type: unsupported model type "WordLevel"`},
		{"no model", "bpe", func(j map[string]any) { delete(j, "model") }, "model: missing"},
		{"missing merges", "bpe", func(j map[string]any) { delete(model(j), "merges") }, "model.merges: missing"},
		{"missing vocab", "bpe", func(j map[string]any) { delete(model(j), "vocab") }, "model.vocab: missing"},
		{"merge of unknown token", "bpe", func(j map[string]any) {
			model(j)["merges"] = append(model(j)["merges"].([]any), []any{"zzz", "qqq"})
		}, `merges[939] ("zzz" "qqq"): token not in the vocabulary`},
		{"merge result missing", "bpe", func(j map[string]any) {
			v := model(j)["vocab"].(map[string]any)
			v["Ġthe-renamed"] = v["Ġthe"]
			delete(v, "Ġthe")
		}, `("Ġth" "e"): result "Ġthe" not in the vocabulary`},
		{"vocab id missing", "bpe", func(j map[string]any) { delete(model(j)["vocab"].(map[string]any), "Ġthe") }, "model.vocab: token"},
		{"bad merge line", "bpe", func(j map[string]any) { model(j)["merges"] = []any{"a b c"} }, "model.merges[0]"},
		{"unk token not in vocab", "bpe", func(j map[string]any) { model(j)["unk_token"] = "<nope>" }, `unk_token "<nope>" is not in the vocabulary`},
		{"dropout", "bpe", func(j map[string]any) { model(j)["dropout"] = 0.1 }, "model.dropout"},
		{"vocab id out of range", "bpe", func(j map[string]any) { model(j)["vocab"].(map[string]any)["Ġthe"] = 99999 }, `model.vocab: token "Ġthe" has id 99999`},
		{"duplicate vocab id", "bpe", func(j map[string]any) { model(j)["vocab"].(map[string]any)["Ġthe"] = 5 }, "model.vocab: id 5 is given to"},
		{"added token gap", "bpe", func(j map[string]any) {
			j["added_tokens"] = append(j["added_tokens"].([]any), map[string]any{"id": 5000, "content": "far"})
		}, "ids leave gaps after the model's"},
		{"unknown pre-tokenizer", "bpe", func(j map[string]any) { j["pre_tokenizer"] = map[string]any{"type": "Punctuation"} }, `pre_tokenizer.type: unsupported pre-tokenizer "Punctuation"`},
		{"unknown post-processor", "bpe", func(j map[string]any) { j["post_processor"] = map[string]any{"type": "Nope"} }, "post_processor.type"},
		{"unigram without unk_id", "unigram_v5", func(j map[string]any) { delete(model(j), "unk_id") }, "model.unk_id: missing"},
		{"unigram unk_id out of range", "unigram_v5", func(j map[string]any) { model(j)["unk_id"] = 1e6 }, "unk_id 1000000 out of range"},
		{"unigram bad piece", "unigram_v5", func(j map[string]any) { model(j)["vocab"].([]any)[7] = "x" }, "model.vocab[7]: want [piece, score]"},
		{"unsupported normalizer", "unigram_v5", func(j map[string]any) { j["normalizer"] = map[string]any{"type": "NFKC"} }, `normalizer.type: unsupported normalizer "NFKC"`},
		{"unsupported regex", "unigram_v5", func(j map[string]any) {
			j["normalizer"].(map[string]any)["normalizers"].([]any)[1].(map[string]any)["pattern"] = map[string]any{"Regex": `\s+`}
		}, `normalizer.normalizers[1]: tokenizer: replace: unsupported regular expression`},
		{"bad charsmap", "unigram", func(j map[string]any) {
			j["normalizer"].(map[string]any)["normalizers"].([]any)[0].(map[string]any)["precompiled_charsmap"] = "AAAA"
		}, "normalizer.normalizers[0].precompiled_charsmap"},
		{"template token not declared", "unigram_v5", func(j map[string]any) {
			delete(j["post_processor"].(map[string]any)["special_tokens"].(map[string]any), "</s>")
		}, `post_processor.single[2]: special token "</s>"`},
		{"bad metaspace scheme", "unigram", func(j map[string]any) { j["pre_tokenizer"].(map[string]any)["prepend_scheme"] = "sometimes" }, "pre_tokenizer.prepend_scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "tokenizer.json")
			if err := os.WriteFile(path, edit(t, tt.dir, tt.edit), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadEncoder(dir)
			if err == nil {
				t.Fatal("LoadEncoder succeeded, want an error")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want the file name and %q", err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "{", "\x00garbage", `{"model": 5}`, `{"model": {"type": "BPE", "vocab": [], "merges": []}}`} {
		if _, err := ParsePipeline("x.json", []byte(bad)); err == nil || !strings.Contains(err.Error(), "x.json") {
			t.Errorf("%q: error %v, want one naming the file", bad, err)
		}
	}
}

// TestLoadEncoder checks that the model type picks the tokenizer family.
func TestLoadEncoder(t *testing.T) {
	for dir, want := range map[string]string{"uncased": "*tokenizer.Tokenizer", "cased": "*tokenizer.Tokenizer",
		"bpe": "*tokenizer.Pipeline", "unigram": "*tokenizer.Pipeline"} {
		enc, err := LoadEncoder(filepath.Join("..", "testdata", dir))
		if err != nil {
			t.Fatal(err)
		}
		var got string
		switch enc.(type) {
		case *tokenizer.Tokenizer:
			got = "*tokenizer.Tokenizer"
		case *tokenizer.Pipeline:
			got = "*tokenizer.Pipeline"
		}
		if got != want {
			t.Errorf("%s: %s, want %s", dir, got, want)
		}
	}
}
