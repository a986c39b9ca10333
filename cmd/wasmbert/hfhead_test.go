package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// hfCheckpoint assembles a fine-tuned HF checkpoint: one of model/heads'
// tiny ones, hf_seqcls (BertForSequenceClassification) or hf_tokcls
// (BertForTokenClassification), made by transformers
// (tools/reference/make_head_fixtures.py; 64-token vocabulary), with the
// first 64 entries of model/bert's tiny vocabulary as its tokenizer.
func hfCheckpoint(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := "../../model/heads/testdata/" + name + "/"
	for _, f := range []string{"config.json", "model.safetensors"} {
		b, err := os.ReadFile(src + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vocab, err := os.ReadFile("../../model/bert/testdata/tiny/vocab.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(vocab), "\n")[:64]
	tok := `{"do_lower_case": true, "tokenizer_class": "BertTokenizer", "model_max_length": 32}`
	for name, body := range map[string]string{"vocab.txt": strings.Join(lines, ""), "tokenizer_config.json": tok} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// withStdin runs fn with os.Stdin reading input (classify reads it directly).
func withStdin(t *testing.T, input string, fn func()) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(path, []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()
	fn()
}

// TestClassifyHFHead: `classify --head DIR` on a fine-tuned HF checkpoint
// uses the checkpoint's encoder and head, so its predictions are the
// checkpoint's encoder's [CLS] state (unnormalized) through the HF head as
// model/heads loads it; --save writes a head that classifies the same again
// and records how its input is computed.
func TestClassifyHFHead(t *testing.T) {
	t.Setenv("WASMBERT_CACHE", t.TempDir())
	dir := hfCheckpoint(t, "hf_seqcls")
	texts := []string{"hello world", "the water is cold", "a b c d e f g"}

	encoderFile := filepath.Join(t.TempDir(), "enc.wbm")
	if _, err := checkpoint.Convert(dir, encoderFile, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
		t.Fatal(err)
	}
	e, err := engine.LoadFile(encoderFile)
	if err != nil {
		t.Fatal(err)
	}
	no := false
	x, err := embedVectors(e, texts, engine.EmbedOptions{Pooling: "cls", Normalize: &no})
	if err != nil {
		t.Fatal(err)
	}
	c, err := heads.LoadHFClassifier(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.Classify(x)
	if err != nil {
		t.Fatal(err)
	}

	saved := filepath.Join(t.TempDir(), "head.json")
	for _, args := range [][]string{
		{"classify", "--head", dir, "--save", saved},
		{"classify", "--head", saved, "-m", encoderFile},
	} {
		var out strings.Builder
		withStdin(t, strings.Join(texts, "\n")+"\n", func() {
			if err := run(context.Background(), args, nil, &out); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
		})
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for i := range texts {
			var got heads.Prediction
			if !sc.Scan() {
				t.Fatalf("%v: %d lines of output, want %d", args, i, len(texts))
			}
			if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Label != want[i].Label {
				t.Errorf("%v: text %d: label %q, want %q", args, i, got.Label, want[i].Label)
			}
			for l, p := range want[i].Scores {
				if d := got.Scores[l] - p; d > 1e-5 || d < -1e-5 {
					t.Errorf("%v: text %d: score of %s %g, want %g", args, i, l, got.Scores[l], p)
				}
			}
		}
	}
	h, err := loadHead(saved, heads.LoadClassifier)
	if err != nil {
		t.Fatal(err)
	}
	wantFeatures := map[string]string{"input": "sentence", "pooling": "cls", "layer": "-1", "normalize": "false"}
	if err := checkFeatures(saved, h.Features, wantFeatures); err != nil || len(h.Features) == 0 {
		t.Errorf("saved features %v, want %v", h.Features, wantFeatures)
	}
}

// TestNERHFHead: `ner --head DIR` on a fine-tuned HF token classifier tags
// each word by its first subword's last-layer state through the HF head, as
// model/heads loads it, with its own encoder.
func TestNERHFHead(t *testing.T) {
	t.Setenv("WASMBERT_CACHE", t.TempDir())
	dir := hfCheckpoint(t, "hf_tokcls")
	texts := []string{"hello world and the water", "Zoë met Anna in Paris", "a b c d e f g h"}

	encoderFile := filepath.Join(t.TempDir(), "enc.wbm")
	if _, err := checkpoint.Convert(dir, encoderFile, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
		t.Fatal(err)
	}
	e, err := engine.LoadFile(encoderFile)
	if err != nil {
		t.Fatal(err)
	}
	words, err := wordTokens(e, texts, "-1")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := heads.LoadHFTagger(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	withStdin(t, strings.Join(texts, "\n")+"\n", func() {
		if err := run(context.Background(), []string{"ner", "--head", dir}, nil, &out); err != nil {
			t.Fatal(err)
		}
	})
	dec := json.NewDecoder(strings.NewReader(out.String()))
	found := 0
	for i, text := range texts {
		want, err := tg.Entities(text, words[i])
		if err != nil {
			t.Fatal(err)
		}
		var got nerResult
		if err := dec.Decode(&got); err != nil {
			t.Fatal(err)
		}
		if len(got.Entities) != len(want) {
			t.Fatalf("text %d: %d entities, want %d", i, len(got.Entities), len(want))
		}
		for k, w := range want {
			g := got.Entities[k]
			if g.Label != w.Label || g.Text != w.Text || g.Text != string([]rune(text)[g.Start:g.End]) || g.Score-w.Score > 1e-5 || w.Score-g.Score > 1e-5 {
				t.Errorf("text %d entity %d: %+v, want %+v", i, k, g, w)
			}
		}
		found += len(want)
	}
	if found == 0 {
		t.Fatal("the random head found no entity in any text: the comparison shows nothing")
	}
}
