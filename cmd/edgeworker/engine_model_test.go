package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

func TestBatchTokens(t *testing.T) {
	tests := []struct {
		info   engine.Info
		budget int64
		want   int
	}{
		{engine.Info{Dim: 384, IntermediateSize: 1536, MaxLength: 256}, 16 << 20, 1092}, // MiniLM: 15,360 B per token
		{engine.Info{Dim: 768, IntermediateSize: 3072, MaxLength: 512}, 16 << 20, 546},
		{engine.Info{Dim: 768, IntermediateSize: 3072, MaxLength: 512}, 1 << 20, 512}, // never less than one whole sequence
	}
	for _, tt := range tests {
		if got := batchTokens(tt.info, tt.budget); got != tt.want {
			t.Errorf("batchTokens(%+v, %d) = %d, want %d", tt.info, tt.budget, got, tt.want)
		}
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

// TestEngineModelBoundedMatchesWhole checks that embedding a request in bounded batches gives
// the vectors and token count of one engine call with the engine's default batches.
func TestEngineModelBoundedMatchesWhole(t *testing.T) {
	file := tinyModelFile(t)
	sum := sha256.Sum256(file)
	m, err := loadTiny(t, file, hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	em := m.(*engineModel)
	em.batchTokens = 37 // odd and small: many batches of mixed sizes
	texts := make([]string, 45)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d %s", i, strings.Repeat("hello world ", i%7))
	}
	got, tokens, err := em.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := em.eng.Embed(texts, engine.EmbedOptions{Chunk: &em.chunk})
	if err != nil {
		t.Fatal(err)
	}
	wantTokens := 0
	for i, w := range want {
		wantTokens += w.NumTokens
		if d := maxDiff(got[i], w.Vector); d > 1e-6 {
			t.Errorf("text %d: bounded and whole embeddings differ by %g", i, d)
		}
	}
	if tokens != wantTokens {
		t.Errorf("bounded token count %d, whole %d", tokens, wantTokens)
	}
}

// TestEngineModelChunksLongInputs: an input past the model's maximum length (64 tokens for
// the tiny model) is embedded whole, as the engine's windows of maxLength-2 tokens
// overlapping by 1/8, not cut.
func TestEngineModelChunksLongInputs(t *testing.T) {
	file := tinyModelFile(t)
	sum := sha256.Sum256(file)
	m, err := loadTiny(t, file, hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	em := m.(*engineModel)
	// The second half differs from the first, so cutting it off shows in the vector.
	long := strings.Repeat("the water is cold and the sun is hot. ", 8) + strings.Repeat("a dog runs in the park, 42 times! ", 12)
	texts := []string{long, "hello world"}
	got, tokens, err := em.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	chunked, err := em.eng.Embed(texts, engine.EmbedOptions{Chunk: &engine.Chunking{Size: 62, Overlap: 7}})
	if err != nil {
		t.Fatal(err)
	}
	cut, err := em.eng.Embed(texts, engine.EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !cut[0].Truncated || chunked[0].Chunks < 2 {
		t.Fatalf("the long input is not long: truncated %v, %d chunks", cut[0].Truncated, chunked[0].Chunks)
	}
	for i := range texts {
		if d := maxDiff(got[i], chunked[i].Vector); d > 1e-6 {
			t.Errorf("text %d differs from the engine's chunked embedding by %g", i, d)
		}
	}
	if d := maxDiff(got[0], cut[0].Vector); d < 1e-3 {
		t.Errorf("long input embedded like its truncation (max diff %g)", d)
	}
	if want := chunked[0].NumTokens + chunked[1].NumTokens; tokens != want {
		t.Errorf("usage %d tokens, want %d (every window)", tokens, want)
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
