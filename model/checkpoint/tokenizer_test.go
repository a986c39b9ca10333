package checkpoint

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wasmbert/wasmbert/model/engine"
)

// tokenizerTestdata holds HF tokenizer directories and the encodings HF
// gives for them (tools/reference/make_tokenizer_*.py).
var tokenizerTestdata = filepath.Join("..", "tokenizer", "testdata")

// TestConvertTokenizerOptions converts a checkpoint whose tokenizer.json
// sets options vocab.txt cannot (no normalizer, clean_text off, a word
// length limit) and checks that the engine loaded from the model file
// tokenizes as HF does: the converter must store every option the
// tokenizer honours.
func TestConvertTokenizerOptions(t *testing.T) {
	cfg := tinyConfig
	cfg.VocabSize, cfg.MaxPositionEmbeddings = 30522, 512
	weights := randomWeights(cfg)
	for _, variant := range []string{"uncased", "uncased_nonormalizer", "uncased_noclean", "uncased_maxchars8"} {
		t.Run(variant, func(t *testing.T) {
			dir := t.TempDir()
			writeJSON(t, filepath.Join(dir, "config.json"), cfg)
			writeJSON(t, filepath.Join(dir, "tokenizer.json"), patchedTokenizerJSON(t, variant))
			b, err := os.ReadFile(filepath.Join(tokenizerTestdata, "uncased", "tokenizer_config.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			writeSafetensors(t, filepath.Join(dir, "model.safetensors"), weights)
			out := filepath.Join(t.TempDir(), "m.wbm")
			if _, err := Convert(dir, out, ConvertOptions{}); err != nil {
				t.Fatal(err)
			}
			e, err := engine.LoadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, fx := range readEncodings(t, variant) {
				if fx.Pair != nil || fx.MaxLength != 0 || fx.Text == "" || fx.FullLength > e.Info().MaxLength {
					continue
				}
				got, err := e.Tokenize(fx.Text)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.IDs, fx.IDs) {
					t.Errorf("%q: tokens %q, HF %q", fx.Text, got.Tokens, fx.Tokens)
				}
				checked++
			}
			if checked < 300 {
				t.Fatalf("only %d encodings checked", checked)
			}
		})
	}
}

// patchedTokenizerJSON is testdata/uncased/tokenizer.json with the
// variant's tokenizer_patch.json merged in as the fixture script merges it.
func patchedTokenizerJSON(t *testing.T, variant string) map[string]any {
	t.Helper()
	var doc, patch map[string]any
	readJSON(t, filepath.Join(tokenizerTestdata, "uncased", "tokenizer.json"), &doc)
	if variant == "uncased" {
		return doc
	}
	readJSON(t, filepath.Join(tokenizerTestdata, variant, "tokenizer_patch.json"), &patch)
	var merge func(doc, patch map[string]any)
	merge = func(doc, patch map[string]any) {
		for k, v := range patch {
			sub, ok := v.(map[string]any)
			if dst, isObj := doc[k].(map[string]any); ok && isObj {
				merge(dst, sub)
				continue
			}
			doc[k] = v
		}
	}
	merge(doc, patch)
	return doc
}

type encoding struct {
	Text       string   `json:"text"`
	Pair       *string  `json:"pair"`
	MaxLength  int      `json:"max_length"`
	IDs        []int32  `json:"ids"`
	Tokens     []string `json:"tokens"`
	FullLength int      `json:"full_length"`
}

func readEncodings(t *testing.T, variant string) []encoding {
	t.Helper()
	f, err := os.Open(filepath.Join(tokenizerTestdata, variant+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []encoding
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var e encoding
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestConfigAsTheEngine: the converter accepts the configs bert.Config
// validates, no more and no fewer (it once rejected gelu_fast, which the
// engine runs).
func TestConfigAsTheEngine(t *testing.T) {
	for _, tc := range []struct {
		act string
		ok  bool
	}{{"gelu", true}, {"gelu_new", true}, {"gelu_fast", true}, {"gelu_pytorch_tanh", true}, {"relu", true}, {"swish", false}} {
		dir := t.TempDir()
		writeTinyCheckpoint(t, dir, tinyWeights())
		cfg := tinyConfig
		cfg.HiddenAct = tc.act
		writeJSON(t, filepath.Join(dir, "config.json"), cfg)
		out := filepath.Join(t.TempDir(), "m.wbm")
		_, err := Convert(dir, out, ConvertOptions{})
		if (err == nil) != tc.ok {
			t.Fatalf("%s: convert error %v, want ok=%v", tc.act, err, tc.ok)
		}
		if err != nil {
			continue
		}
		if _, err := engine.LoadFile(out); err != nil {
			t.Errorf("%s: converted, but the engine rejects it: %v", tc.act, err)
		}
	}
}
