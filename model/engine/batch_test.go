package engine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// TestBatchesBound checks on random lengths and odd bounds that every batch
// stays within maxBatch sequences and maxTokens padded tokens (or is a
// single sequence), and that the batches cover every sequence once.
func TestBatchesBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name      string
		n, maxLen int
		maxTokens int
	}{
		{"default bound", 300, 256, maxBatchTokens},
		{"odd bound", 97, 64, 333},
		{"bound below one sequence", 20, 256, 100},
		{"bound of one token", 9, 5, 1},
		{"short sequences", 200, 12, 37},
		{"empty", 0, 10, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seqs := make([]sequence, tt.n)
			for i := range seqs {
				seqs[i].ids = make([]int32, 2+rng.IntN(tt.maxLen-1))
			}
			var seen []int
			for _, b := range batches(seqs, tt.maxTokens) {
				longest := 0
				for _, i := range b {
					longest = max(longest, len(seqs[i].ids))
				}
				if len(b) == 0 || len(b) > maxBatch || (len(b) > 1 && len(b)*longest > tt.maxTokens) {
					t.Errorf("batch of %d sequences, longest %d: over %d sequences or %d tokens", len(b), longest, maxBatch, tt.maxTokens)
				}
				seen = append(seen, b...)
			}
			slices.Sort(seen)
			for i, v := range seen {
				if v != i {
					t.Fatalf("batches do not cover every sequence once: %v", seen)
				}
			}
			if len(seen) != tt.n {
				t.Fatalf("%d sequences in batches, want %d", len(seen), tt.n)
			}
		})
	}
}

// TestByLengthIsAStableSort checks the counting sort against
// slices.SortStableFunc on random lengths with many ties, and on edge cases.
func TestByLengthIsAStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tests := []struct {
		name   string
		n, max int
	}{
		{"empty", 0, 1},
		{"one", 1, 9},
		{"all equal", 17, 1},
		{"zero lengths", 33, 3},
		{"many ties", 500, 8},
		{"spread", 300, 600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seqs := make([]sequence, tt.n)
			for i := range seqs {
				seqs[i].ids = make([]int32, rng.IntN(tt.max))
			}
			want := make([]int, len(seqs))
			for i := range want {
				want[i] = i
			}
			slices.SortStableFunc(want, func(a, b int) int { return len(seqs[a].ids) - len(seqs[b].ids) })
			if got := byLength(seqs); !slices.Equal(got, want) {
				t.Errorf("byLength = %v, want %v", got, want)
			}
		})
	}
}

// TestMaxBatchTokensDoesNotChangeResults embeds the same texts under tight
// and default batch bounds: the vectors and token counts must not change.
func TestMaxBatchTokensDoesNotChangeResults(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, 45)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d %s", i, strings.Repeat("hello world ", i%9))
	}
	texts = append(texts, strings.Repeat("a long one ", 40)) // truncated to 64 tokens: over the 37 bound
	want, err := e.Embed(texts, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 37, 64, 1000} {
		got, err := e.Embed(texts, EmbedOptions{MaxBatchTokens: limit})
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if d := maxAbsDiff(got[i].Vector, want[i].Vector); d > 1e-5 || got[i].NumTokens != want[i].NumTokens {
				t.Errorf("bound %d, text %d: max abs diff %g, tokens %d vs %d", limit, i, d, got[i].NumTokens, want[i].NumTokens)
			}
		}
	}
	if _, err := e.Embed(texts, EmbedOptions{MaxBatchTokens: -1}); err == nil {
		t.Error("negative MaxBatchTokens: no error")
	}
}

func TestActivationBytes(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	info := e.Info()
	if info.IntermediateSize != 64 {
		t.Errorf("intermediate size %d, want the tiny checkpoint's 64", info.IntermediateSize)
	}
	// MiniLM: 384 wide, 1536 feed-forward: 15,360 bytes per token.
	minilm := Info{Dim: 384, IntermediateSize: 1536}
	if got := minilm.ActivationBytes(4096); got != 4096*15360 {
		t.Errorf("MiniLM, 4096 tokens: %d bytes", got)
	}
}
