package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/engine"
)

// TestEmbedLongLines: a line cut to the maximum length is named on stderr;
// --chunk embeds it whole as the engine's chunking does, with the engine's
// defaults for what is left out and --overlap 0 meaning 0.
func TestEmbedLongLines(t *testing.T) {
	model, _ := tinySetup(t)
	e, err := engine.LoadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("the water is cold and the sun is hot. ", 30)
	input := "hello world\n" + long + "\nbye\n"
	enc, err := e.Tokenize(long)
	if err != nil {
		t.Fatal(err)
	}
	cut := fmt.Sprintf("line 2: %d tokens cut to the first", enc.FullLength)
	zero := 0
	tests := []struct {
		name     string
		args     []string
		opts     engine.EmbedOptions
		warnings []string // substrings of stderr, one line each
	}{
		{"default cuts and warns", nil, engine.EmbedOptions{}, []string{cut + " 64"}},
		{"shorter max length", []string{"--max-length", "4"}, engine.EmbedOptions{MaxLength: 4}, []string{"line 1: ", cut + " 4"}},
		{"chunk with default overlap", []string{"--chunk", "20"}, engine.EmbedOptions{Chunk: &engine.Chunking{Size: 20}}, nil},
		{"chunk with overlap 0", []string{"--chunk", "20", "--overlap", "0"}, engine.EmbedOptions{Chunk: &engine.Chunking{Size: 20, Overlap: &zero}}, nil},
		{"chunk 0 is the longest window", []string{"--chunk", "0"}, engine.EmbedOptions{Chunk: &engine.Chunking{}}, nil},
	}
	lines := strings.Split(strings.TrimSuffix(input, "\n"), "\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, stderr bytes.Buffer
			args := append([]string{"-m", model}, tt.args...)
			if err := runEmbed(context.Background(), args, strings.NewReader(input), &out, &stderr); err != nil {
				t.Fatal(err)
			}
			want, err := e.Embed(lines, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(&out)
			for i, w := range want {
				var got struct{ Embedding []float32 }
				if err := dec.Decode(&got); err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				if d := maxDiff(got.Embedding, w.Vector); d > 1e-6 {
					t.Errorf("line %d differs from the engine by %g", i+1, d)
				}
			}
			warned := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(tt.warnings) == 0 && stderr.Len() != 0 {
				t.Errorf("stderr: %s, want nothing", stderr.String())
			}
			if len(tt.warnings) > 0 && len(warned) != len(tt.warnings) {
				t.Fatalf("stderr: %q, want %d warnings", warned, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !strings.Contains(warned[i], w) || !strings.Contains(warned[i], "--chunk") {
					t.Errorf("warning %q, want %q and the --chunk hint", warned[i], w)
				}
			}
		})
	}
	// Chunked with overlap 0 is not chunked with the default overlap.
	a, _ := e.Embed([]string{long}, engine.EmbedOptions{Chunk: &engine.Chunking{Size: 20, Overlap: &zero}})
	b, _ := e.Embed([]string{long}, engine.EmbedOptions{Chunk: &engine.Chunking{Size: 20}})
	if maxDiff(a[0].Vector, b[0].Vector) == 0 {
		t.Errorf("overlap 0 and the default overlap gave one vector")
	}
}

func TestEmbedLongFlagErrors(t *testing.T) {
	model, _ := tinySetup(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"overlap without chunk", []string{"--overlap", "2"}, "--overlap needs --chunk"},
		{"max length 0", []string{"--max-length", "0"}, "--max-length 0"},
		{"max length past the positions", []string{"--max-length", "100000"}, "max length 100000"},
		{"chunk too big", []string{"--chunk", "500"}, "chunk size 500"},
		{"overlap as big as the chunk", []string{"--chunk", "10", "--overlap", "10"}, "chunk overlap 10"},
	}
	for _, tt := range tests {
		var out, stderr bytes.Buffer
		err := runEmbed(context.Background(), append([]string{"-m", model}, tt.args...), strings.NewReader("hello\n"), &out, &stderr)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one naming %q", tt.name, err, tt.want)
		}
	}
}

func maxDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return 1e9
	}
	d := 0.0
	for i := range a {
		d = max(d, float64(abs32(a[i]-b[i])))
	}
	return d
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
