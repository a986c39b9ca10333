package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
	return loadVerified(parts, sha, 1<<30, func(r io.Reader) (api.Model, error) { return newEngineModel("tiny", r, nil) })
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
	yields := 0
	em.yield = func() { yields++ }
	texts := make([]string, 45)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d %s", i, strings.Repeat("hello world ", i%7))
	}
	texts[20] = strings.Repeat("a text longer than the tiny model's 64 tokens ", 20) // embedded as windows
	got, tokens, err := em.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := em.Tokens(texts)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	// Slices of at most 37 tokens (or one text: the long one), with a yield between each two.
	if minSlices := (total-counts[20]+36)/37 + 1; yields < minSlices-1 {
		t.Errorf("%d yields for %d tokens in slices of 37, want at least %d", yields, total, minSlices-1)
	}
	want, err := em.eng.Embed(texts, engine.EmbedOptions{Chunk: &engine.Chunking{}})
	if err != nil {
		t.Fatal(err)
	}
	if want[20].Chunks < 2 {
		t.Fatalf("the long text took %d windows, want several", want[20].Chunks)
	}
	wantTokens, wantFull := 0, 0
	for i, w := range want {
		wantTokens += w.NumTokens
		wantFull += w.FullTokens
		if d := maxDiff(got[i], w.Vector); d > 1e-6 {
			t.Errorf("text %d: bounded and whole embeddings differ by %g", i, d)
		}
	}
	if tokens != wantTokens || total != wantFull {
		t.Errorf("token count: bounded %d (whole %d), Tokens %d (text lengths %d)", tokens, wantTokens, total, wantFull)
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

// TestLoadTwiceHeals: a damaged read of the weights (flipped byte, truncated, empty) is read
// again within the same load, and only a second failure is returned.
func TestLoadTwiceHeals(t *testing.T) {
	file := tinyModelFile(t)
	sum := sha256.Sum256(file)
	sha := hex.EncodeToString(sum[:])
	flipped := bytes.Clone(file)
	flipped[len(flipped)/2] ^= 0x40
	damaged := map[string][]byte{"flipped byte": flipped, "truncated": file[:len(file)-100], "empty": {}}
	load := func(parts []weightPart) (api.Model, error) {
		return loadVerified(parts, sha, 1<<30, func(r io.Reader) (api.Model, error) { return newEngineModel("tiny", r, nil) })
	}
	for name, bad := range damaged {
		t.Run(name, func(t *testing.T) {
			for _, tt := range []struct {
				reads   [][]byte
				wantErr bool
			}{
				{[][]byte{bad, file}, false},
				{[][]byte{bad, bad}, true},
			} {
				opens := 0
				open := func() ([]weightPart, error) {
					b := tt.reads[opens]
					opens++
					// The declared size is the object's, as R2 reports it; the body is what arrived.
					return []weightPart{{name: "r2:tiny", size: int64(len(file)), body: bytes.NewReader(b)}}, nil
				}
				m, err := loadTwice(open, load)
				if opens != 2 {
					t.Errorf("opened %d times, want 2", opens)
				}
				if tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), "second read") {
						t.Errorf("damaged twice: %v, want an error saying it read twice", err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("damaged once: %v", err)
				}
				if _, _, err := m.Embed([]string{"hello"}); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	opens := 0
	if _, err := loadTwice(func() ([]weightPart, error) { opens++; return nil, errors.New("no such object") }, load); err == nil || opens != 1 {
		t.Errorf("open failure: %v after %d opens, want the error after 1", err, opens)
	}
}
