package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

func TestSliceTokens(t *testing.T) {
	tests := []struct {
		dim, maxLen int
		budget      int64
		want        int
	}{
		{384, 256, 16 << 20, 1092}, // MiniLM: 15,360 B of activations per token
		{768, 512, 16 << 20, 546},
		{768, 512, 1 << 20, 512}, // never less than one whole sequence
	}
	for _, tt := range tests {
		if got := sliceTokens(tt.dim, tt.maxLen, tt.budget); got != tt.want {
			t.Errorf("sliceTokens(%d, %d, %d) = %d, want %d", tt.dim, tt.maxLen, tt.budget, got, tt.want)
		}
	}
}

func TestSlices(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randomTexts := func(n, maxRunes int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = strings.Repeat("é", 1+rng.IntN(maxRunes))
		}
		return out
	}
	tests := []struct {
		name       string
		texts      []string
		maxLen     int
		tokens     int
		wantSlices int
	}{
		{"one short", []string{"hi"}, 256, 1092, 1},
		{"fits whole", slices.Repeat([]string{"short text"}, 32), 256, 1092, 1},
		{"256 short", slices.Repeat([]string{"sentence number 1 about embeddings at the edge"}, 256), 256, 1092, 12},
		{"32 truncated", slices.Repeat([]string{strings.Repeat("word ", 400)}, 32), 256, 1092, 8},
		{"single over budget", []string{strings.Repeat("a", 5000)}, 256, 100, 1},
		{"random mix", randomTexts(300, 400), 256, 1092, 0},
		{"random odd budget", randomTexts(97, 50), 40, 333, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &engineModel{maxLen: tt.maxLen, sliceTokens: tt.tokens}
			got := m.slices(tt.texts)
			if tt.wantSlices != 0 && len(got) != tt.wantSlices {
				t.Errorf("%d slices, want %d", len(got), tt.wantSlices)
			}
			var seen []int
			for _, s := range got {
				longest := 0
				for _, i := range s {
					longest = max(longest, min(utf8.RuneCountInString(tt.texts[i])+2, tt.maxLen))
				}
				if len(s) == 0 || (len(s) > 1 && len(s)*longest > tt.tokens) {
					t.Errorf("slice of %d texts, longest %d tokens: over the %d-token budget", len(s), longest, tt.tokens)
				}
				seen = append(seen, s...)
			}
			slices.Sort(seen)
			for i, v := range seen {
				if v != i {
					t.Fatalf("slices do not cover every text exactly once: %v", seen)
				}
			}
		})
	}
}

// tinyModelFile converts model/bert's tiny random checkpoint (int8 weights, as the worker
// serves MiniLM) and returns the file's bytes.
func tinyModelFile(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.wbm")
	if _, err := checkpoint.Convert("../../model/bert/testdata/tiny", path, checkpoint.ConvertOptions{DType: modelfile.I8}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadTiny(t *testing.T, file []byte, sha string) (api.Model, error) {
	t.Helper()
	parts := []weightPart{{name: "tiny", size: int64(len(file)), body: bytes.NewReader(file)}}
	return loadVerified(parts, sha, 1<<30, func(r io.Reader) (api.Model, error) { return newEngineModel("tiny", r) })
}

// TestEngineModelSlicedMatchesWhole checks that embedding a request slice by slice gives the
// vectors and token count of one engine call over all of it.
func TestEngineModelSlicedMatchesWhole(t *testing.T) {
	file := tinyModelFile(t)
	sum := sha256.Sum256(file)
	m, err := loadTiny(t, file, hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	em := m.(*engineModel)
	em.sliceTokens = 37 // odd and small: many slices of mixed sizes
	texts := make([]string, 45)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d %s", i, strings.Repeat("hello world ", i%7))
	}
	if n := len(em.slices(texts)); n < 5 {
		t.Fatalf("only %d slices: the test would not exercise slicing", n)
	}
	got, tokens, err := em.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := em.eng.Embed(texts, engine.EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantTokens := 0
	for i, w := range want {
		wantTokens += w.NumTokens
		if d := maxDiff(got[i], w.Vector); d > 1e-6 {
			t.Errorf("text %d: sliced and whole embeddings differ by %g", i, d)
		}
	}
	if tokens != wantTokens {
		t.Errorf("sliced token count %d, whole %d", tokens, wantTokens)
	}
}

func TestLoadVerifiedModelFile(t *testing.T) {
	file := tinyModelFile(t)
	sum := sha256.Sum256(file)
	good := hex.EncodeToString(sum[:])
	flip := func(off int) []byte {
		b := bytes.Clone(file)
		b[off] ^= 1
		return b
	}
	tests := []struct {
		name    string
		file    []byte
		sha     string
		wantErr string
	}{
		{"good", file, good, ""},
		{"other file's digest", file, strings.Repeat("0", 64), "MODEL_SHA256"},
		{"tensor byte flipped", flip(len(file) - 1), good, "checksum"},
		{"truncated", file[:len(file)/2], good, "truncated"},
		{"bad magic", flip(0), good, "magic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := loadTiny(t, tt.file, tt.sha)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := m.Embed([]string{"hello"}); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func maxDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var d float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}
