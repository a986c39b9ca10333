package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// benchInputs converts the tiny model and writes a corpus in both formats
// and a single-texts file.
func benchInputs(t *testing.T) (model, jsonl, txt, singles string) {
	t.Helper()
	dir := t.TempDir()
	model = filepath.Join(dir, "tiny.wbm")
	if _, err := checkpoint.Convert("../../model/bert/testdata/tiny", model, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
		t.Fatal(err)
	}
	texts := []string{"hello world", "", "the quick brown fox jumps over the lazy dog", "a", "unaffable running", "x y z"}
	var j, p strings.Builder
	for _, s := range texts {
		b, _ := json.Marshal(map[string]string{"text": s})
		j.Write(append(b, '\n'))
		p.WriteString(s + "\n")
	}
	jsonl, txt, singles = filepath.Join(dir, "c.jsonl"), filepath.Join(dir, "c.txt"), filepath.Join(dir, "s.json")
	write(t, jsonl, j.String())
	write(t, txt, p.String())
	write(t, singles, `{"32": "the quick brown fox jumps over the lazy dog", "8": "hello world", "long": "`+strings.Repeat("word ", 200)+`"}`)
	return model, jsonl, txt, singles
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBenchCommand(t *testing.T) {
	model, jsonl, txt, singles := benchInputs(t)
	tests := []struct {
		name      string
		args      []string
		texts     int
		threads   int
		labels    []string
		maxTokens []int // upper bound per label: the tiny model truncates at 64 positions
	}{
		{"jsonl 2 threads", []string{"--corpus", jsonl, "--singles", singles, "--threads", "2", "--iterations", "3"}, 6, 2, []string{"8", "32", "long"}, []int{64, 64, 64}},
		{"txt first 4", []string{"--corpus", txt, "--singles", singles, "--texts", "4", "--batch", "3"}, 4, 1, []string{"8", "32", "long"}, []int{64, 64, 64}},
		{"more texts than corpus", []string{"--corpus", txt, "--singles", singles, "--texts", "100", "--threads", "3", "--batch", "1"}, 6, 3, []string{"8", "32", "long"}, []int{64, 64, 64}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			args := append([]string{"bench", "-m", model, "--json"}, tt.args...)
			if err := run(context.Background(), args, nil, &out); err != nil {
				t.Fatal(err)
			}
			var r benchReport
			dec := json.NewDecoder(&out)
			dec.DisallowUnknownFields()
			if err := dec.Decode(&r); err != nil {
				t.Fatalf("decode %q: %v", out.String(), err)
			}
			if r.Info.Dim != 32 || r.Info.Layers != 2 || r.Info.MaxLength < 3 {
				t.Errorf("info = %+v, want dim 32, 2 layers", r.Info)
			}
			if r.Threads != tt.threads || r.Throughput.Texts != tt.texts {
				t.Errorf("threads %d, texts %d; want %d, %d", r.Threads, r.Throughput.Texts, tt.threads, tt.texts)
			}
			if r.Throughput.Tokens < 2*tt.texts {
				t.Errorf("throughput tokens %d < [CLS]+[SEP] for %d texts", r.Throughput.Tokens, tt.texts)
			}
			if r.LoadMS < 0 || r.Throughput.Seconds < 0 || r.Throughput.TextsPerSecond < 0 {
				t.Errorf("negative measure in %+v", r)
			}
			if len(r.Latency) != len(tt.labels) {
				t.Fatalf("latency for %d texts, want %d", len(r.Latency), len(tt.labels))
			}
			prev := 0
			for i, l := range r.Latency {
				if l.Label != tt.labels[i] || l.Tokens < 3 || l.Tokens > tt.maxTokens[i] {
					t.Errorf("latency[%d] = %+v, want label %q and 3..%d tokens", i, l, tt.labels[i], tt.maxTokens[i])
				}
				if l.Tokens < prev {
					t.Errorf("latency[%d]: %d tokens after %d: texts not in label order", i, l.Tokens, prev)
				}
				prev = l.Tokens
				if l.MinMS > l.P50MS || l.P50MS > l.P95MS {
					t.Errorf("latency[%d]: want min <= p50 <= p95, got %+v", i, l)
				}
			}
			if r.Memory.PeakRSSBytes != nil && *r.Memory.PeakRSSBytes <= 0 || r.Memory.HeapSysBytes == 0 {
				t.Errorf("memory = %+v", r.Memory)
			}
		})
	}
}

func TestBenchTable(t *testing.T) {
	model, jsonl, _, singles := benchInputs(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"bench", "-m", model, "--corpus", jsonl, "--singles", singles, "--iterations", "1"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 layers, dim 32", "p50 ms", "long", "texts/s", "tokens/s", "6 texts", "peak RSS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBenchErrors(t *testing.T) {
	model, jsonl, _, singles := benchInputs(t)
	dir := t.TempDir()
	badJSON := filepath.Join(dir, "bad.jsonl")
	write(t, badJSON, "{\"text\":\"ok\"}\n{not json\n")
	noText := filepath.Join(dir, "notext.jsonl")
	write(t, noText, "{\"body\":\"x\"}\n")
	empty := filepath.Join(dir, "empty.txt")
	write(t, empty, "")
	notObject := filepath.Join(dir, "singles.json")
	write(t, notObject, `["a", "b"]`)
	huge := filepath.Join(dir, "huge.txt")
	write(t, huge, strings.Repeat("a", 2<<20)+"\n")

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--threads", "0"}, "--threads 0: want 1..256"},
		{[]string{"--threads", "100000"}, "--threads 100000"},
		{[]string{"--iterations", "0"}, "--iterations 0"},
		{[]string{"--batch", "-1"}, "--batch -1"},
		{[]string{"--texts", "-2"}, "--texts -2"},
		{[]string{"--threads", "two"}, "invalid value"},
		{[]string{"--nope"}, "not defined"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--corpus", filepath.Join(dir, "missing.jsonl")}, "missing.jsonl"},
		{[]string{"--corpus", badJSON}, "bad.jsonl:2"},
		{[]string{"--corpus", noText}, `notext.jsonl:1: no "text" field`},
		{[]string{"--corpus", empty}, "no texts"},
		{[]string{"--corpus", huge}, "corpus texts 0..0"},
		{[]string{"--singles", notObject}, "want a JSON object"},
		{[]string{"-m", filepath.Join(dir, "empty.txt")}, "bench"},
	}
	for _, tt := range tests {
		args := append([]string{"bench", "-m", model, "--corpus", jsonl, "--singles", singles, "--iterations", "1"}, tt.args...)
		err := run(context.Background(), args, nil, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("bench %q: error %v, want it to mention %q", tt.args, err, tt.want)
		}
	}
}
