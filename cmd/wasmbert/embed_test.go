package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/similarity"
)

type tinyCase struct {
	Text      string
	IDs       []int32
	Tokens    []string
	Embedding []float32
}

// tinySetup converts the tiny random model and reads its reference outputs.
func tinySetup(t *testing.T) (string, []tinyCase) {
	t.Helper()
	return tinyModelSetup(t, "tiny")
}

// tinyModelSetup converts one of the tiny random models of model/bert/testdata
// (tiny, tiny_roberta, tiny_xlmr, tiny_e5) and reads its reference outputs.
func tinyModelSetup(t *testing.T, name string) (string, []tinyCase) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".wbm")
	if _, err := checkpoint.Convert("../../model/bert/testdata/"+name, path, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../model/bert/testdata/" + name + "_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []tinyCase }
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return path, ref.Cases
}

func stdinOf(cases []tinyCase) string {
	var b strings.Builder
	for _, c := range cases {
		b.WriteString(c.Text + "\n")
	}
	return b.String()
}

// TestTokenizeCommand runs `wasmbert tokenize` on a model of each tokenizer
// family: WordPiece, byte-level BPE (RoBERTa) and Unigram (XLM-R, e5).
func TestTokenizeCommand(t *testing.T) {
	for _, name := range []string{"tiny", "tiny_roberta", "tiny_xlmr", "tiny_e5"} {
		t.Run(name, func(t *testing.T) {
			model, cases := tinyModelSetup(t, name)
			var out bytes.Buffer
			if err := run(context.Background(), []string{"tokenize", "-m", model}, strings.NewReader(stdinOf(cases)), &out); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(&out)
			for _, c := range cases {
				if !sc.Scan() {
					t.Fatalf("output ends before %q", c.Text)
				}
				var got struct {
					IDs    []int32  `json:"ids"`
					Tokens []string `json:"tokens"`
				}
				if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.IDs, c.IDs) || !slices.Equal(got.Tokens, c.Tokens) {
					t.Errorf("%q: got %v %v, want %v %v", c.Text, got.IDs, got.Tokens, c.IDs, c.Tokens)
				}
			}
			if sc.Scan() {
				t.Errorf("extra output line %q", sc.Text())
			}
		})
	}
}

func TestEmbedCommand(t *testing.T) {
	model, cases := tinySetup(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"embed", "--model", model}, strings.NewReader(stdinOf(cases)), &out); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	for _, c := range cases {
		var got struct {
			Embedding []float32 `json:"embedding"`
		}
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("%q: %v", c.Text, err)
		}
		for k := range got.Embedding {
			if math.Abs(float64(got.Embedding[k]-c.Embedding[k])) > 1e-4 {
				t.Fatalf("%q: component %d is %g, want %g", c.Text, k, got.Embedding[k], c.Embedding[k])
			}
		}
	}
	// Flags reach the engine: unnormalized CLS pooling of layer 1 is not a unit vector.
	out.Reset()
	if err := run(context.Background(), []string{"embed", "-m", model, "--pooling", "cls", "--layer", "1", "--no-normalize"}, strings.NewReader("hello\n"), &out); err != nil {
		t.Fatal(err)
	}
	var got struct{ Embedding []float32 }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got.Embedding) != 32 {
		t.Fatalf("%s: %v", out.String(), err)
	}
	var n float64
	for _, x := range got.Embedding {
		n += float64(x * x)
	}
	if math.Abs(n-1) < 1e-3 {
		t.Errorf("--no-normalize gave a unit vector")
	}
}

func TestSimilarityCommand(t *testing.T) {
	model, cases := tinySetup(t)
	a, b := cases[2], cases[3]
	var out bytes.Buffer
	if err := run(context.Background(), []string{"similarity", "-m", model, a.Text, b.Text}, nil, &out); err != nil {
		t.Fatal(err)
	}
	got, err := strconv.ParseFloat(strings.TrimSpace(out.String()), 64)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := similarity.Cosine(a.Embedding, b.Embedding)
	if math.Abs(got-float64(want)) > 1e-4 {
		t.Errorf("similarity %g, want %g", got, want)
	}
}

// TestPromptFlag embeds with the cased test checkpoint's e5-style "query"
// prompt and compares with sentence-transformers' encode(prompt_name="query").
func TestPromptFlag(t *testing.T) {
	dir := "../../model/engine/testdata/families/cased"
	model := filepath.Join(t.TempDir(), "cased.wbm")
	if _, err := checkpoint.Convert(dir, model, checkpoint.ConvertOptions{}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(dir + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Text, Prompt string
			Embedding    []float32
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var texts []string
	var want [][]float32
	for _, c := range ref.Cases {
		if c.Prompt == "query" {
			texts = append(texts, c.Text)
			want = append(want, c.Embedding)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"embed", "-m", model, "--prompt", "query"}, strings.NewReader(strings.Join(texts, "\n")+"\n"), &out); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	for i, text := range texts {
		var got struct{ Embedding []float32 }
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if c, _ := similarity.Cosine(got.Embedding, want[i]); c < 0.9999 {
			t.Errorf("%q: cosine %g with sentence-transformers", text, c)
		}
	}
	out.Reset()
	err = run(context.Background(), []string{"similarity", "-m", model, "--prompt", "document", "a", "b"}, nil, &out)
	if want := `prompt "document": the model's prompts are passage, query`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("unknown prompt: error %v, want it to contain %s", err, want)
	}
}

func TestEmbedCommandErrors(t *testing.T) {
	model, _ := tinySetup(t)
	tests := []struct {
		name string
		args []string
	}{
		{"unknown command", []string{"embedd"}},
		{"bad pooling", []string{"embed", "-m", model, "--pooling", "sum"}},
		{"bad layer", []string{"embed", "-m", model, "--layer", "9"}},
		{"positional text", []string{"embed", "-m", model, "hello"}},
		{"one text", []string{"similarity", "-m", model, "hello"}},
		{"missing model", []string{"tokenize", "-m", filepath.Join(t.TempDir(), "nope.wbm")}},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if err := run(context.Background(), tt.args, strings.NewReader("hello\n"), &out); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}
