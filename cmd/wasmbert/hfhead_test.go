package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

// Tiny random fine-tuned checkpoints with the logits transformers gives for
// a few texts (tools/reference/make_hf_checkpoint_fixtures.py).
const (
	seqclsDir = "../../model/heads/testdata/hf_ckpt_seqcls"
	tokclsDir = "../../model/heads/testdata/hf_ckpt_tokcls"
)

// hfLogitsTolerance bounds |logit - transformers' logit|: float32 sums in
// another order over a 2-layer, 32-wide encoder differ by about 1e-6.
const hfLogitsTolerance = 1e-4

type hfCase struct {
	Text   string          `json:"text"`
	Tokens []string        `json:"tokens"`
	Logits json.RawMessage `json:"logits"`
}

func readHFCases(t *testing.T, dir string) []hfCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []hfCase }
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Cases
}

func closeTo(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d logits, transformers has %d", what, len(got), len(want))
	}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > hfLogitsTolerance {
			t.Fatalf("%s: logits %v, transformers %v", what, got, want)
		}
	}
}

// convertCheckpoint runs `wasmbert convert` and returns the model and head paths.
func convertCheckpoint(t *testing.T, dir string) (string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(dir)+".wbm")
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"convert", "--in", dir, "--out", out}, nil, &stdout); err != nil {
		t.Fatal(err)
	}
	head := strings.TrimSuffix(out, ".wbm") + ".head.json"
	if !strings.Contains(stdout.String(), head) {
		t.Fatalf("convert does not name the head file %s:\n%s", head, stdout.String())
	}
	return out, head
}

// TestClassifyHFHead: `classify --head` with the checkpoint directory (its
// encoder converted on the fly) and with the head file `convert` wrote
// beside the model file both give transformers' logits from text.
func TestClassifyHFHead(t *testing.T) {
	t.Setenv("WASMBERT_CACHE", t.TempDir())
	cases := readHFCases(t, seqclsDir)
	model, head := convertCheckpoint(t, seqclsDir)
	var texts []string
	for _, c := range cases {
		texts = append(texts, c.Text)
	}
	for name, args := range map[string][]string{
		"directory": {"classify", "--head", seqclsDir},
		"head file": {"classify", "--head", head, "-m", model},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout bytes.Buffer
			if err := run(context.Background(), args, strings.NewReader(strings.Join(texts, "\n")), &stdout); err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(&stdout)
			for _, c := range cases {
				var p heads.Prediction
				if err := dec.Decode(&p); err != nil {
					t.Fatalf("%q: %v", c.Text, err)
				}
				var want []float32
				if err := json.Unmarshal(c.Logits, &want); err != nil {
					t.Fatal(err)
				}
				closeTo(t, c.Text, p.Logits, want)
				if wantLabel := []string{"negative", "positive"}[argmax32(want)]; p.Label != wantLabel {
					t.Errorf("%q: label %q, transformers' argmax is %q", c.Text, p.Label, wantLabel)
				}
			}
		})
	}
}

func argmax32(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// TestNERHFHead: the converted encoder's token states through the HF token
// classifier give transformers' logits for every token, and `ner --head DIR`
// and `ner --head X.head.json -m X.wbm` agree.
func TestNERHFHead(t *testing.T) {
	t.Setenv("WASMBERT_CACHE", t.TempDir())
	cases := readHFCases(t, tokclsDir)
	model, head := convertCheckpoint(t, tokclsDir)
	e, err := engine.LoadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := heads.LoadHFTagger(os.DirFS(tokclsDir))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range cases {
		texts = append(texts, c.Text)
		embs, err := e.Embed([]string{c.Text}, engine.EmbedOptions{Tokens: true, Layer: "-1"})
		if err != nil {
			t.Fatal(err)
		}
		var want [][]float32
		if err := json.Unmarshal(c.Logits, &want); err != nil {
			t.Fatal(err)
		}
		if len(embs[0].Tokens) != len(want) {
			t.Fatalf("%q: %d tokens, transformers has %d (%q)", c.Text, len(embs[0].Tokens), len(want), c.Tokens)
		}
		for i, tv := range embs[0].Tokens {
			got, err := tg.Logits(tv.Vector)
			if err != nil {
				t.Fatal(err)
			}
			closeTo(t, c.Text+" token "+tv.Token, got, want[i])
		}
	}
	var outs []string
	for _, args := range [][]string{{"ner", "--head", tokclsDir}, {"ner", "--head", head, "-m", model}} {
		var stdout bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(strings.Join(texts, "\n")), &stdout); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(stdout.String(), "\n"); n != len(texts) {
			t.Fatalf("%v: %d lines for %d texts", args, n, len(texts))
		}
		outs = append(outs, stdout.String())
	}
	if outs[0] != outs[1] {
		t.Errorf("ner with the directory:\n%s\nwith the converted model and head file:\n%s", outs[0], outs[1])
	}
}

// TestHFHeadErrors: what is wrong with a --head is named.
func TestHFHeadErrors(t *testing.T) {
	t.Setenv("WASMBERT_CACHE", t.TempDir())
	model, _ := convertCheckpoint(t, seqclsDir)
	config, err := os.ReadFile(filepath.Join(seqclsDir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	// variant copies the checkpoint with config.json edited.
	variant := func(edit func(string) string) string {
		dir := t.TempDir()
		for _, name := range []string{"model.safetensors", "vocab.txt", "tokenizer_config.json"} {
			b, err := os.ReadFile(filepath.Join(seqclsDir, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(edit(string(config))), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	var narrow bytes.Buffer
	c, err := heads.NewClassifier([]string{"a", "b"}, []heads.Layer{{In: 16, Out: 2, Weight: make([]float32, 32), Bias: make([]float32, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(&narrow); err != nil {
		t.Fatal(err)
	}
	narrowPath := filepath.Join(t.TempDir(), "narrow.head.json")
	if err := os.WriteFile(narrowPath, narrow.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		errHas string
	}{
		{"directory without a classifier", []string{"classify", "--head", "../../model/bert/testdata/tiny"}, `architectures ["BertModel"] has no *ForSequenceClassification`},
		{"sequence head for ner", []string{"ner", "--head", seqclsDir}, "has no *ForTokenClassification"},
		{"no id2label", []string{"classify", "--head", variant(func(s string) string {
			return strings.Replace(s, `"id2label"`, `"unused_id2label"`, 1)
		})}, "no id2label"},
		{"label count vs weights", []string{"classify", "--head", variant(func(s string) string {
			return strings.Replace(s, `"1": "positive"`, `"1": "positive", "2": "neutral"`, 1)
		})}, "2 outputs for 3 labels"},
		{"head narrower than the encoder", []string{"classify", "--head", narrowPath, "-m", model}, "head takes 16-dimensional vectors but the model's hidden size is 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, strings.NewReader("the water\n"), &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}
