package engine

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/wasmbert/wasmbert/model/bert"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// embedParts runs EmbedPart on k goroutines connected by a LocalExchange.
func embedParts(e *Engine, text string, o EmbedOptions, k, minTokens int) ([]*Embedding, error) {
	ex := bert.NewLocalExchange(k)
	out := make([]*Embedding, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = e.EmbedPart(text, o, Split{Part: bert.Part{Index: i, Count: k}, Exchange: ex.Part(), MinTokens: minTokens})
			if errs[i] != nil {
				ex.Abort()
			}
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// TestEmbedPartMatchesEmbed embeds texts of odd lengths over 2 and 3 parts
// with several pooling options and compares every part's result with Embed:
// within 1e-6 with f32 weights, identical with int8 ones.
func TestEmbedPartMatchesEmbed(t *testing.T) {
	texts := []string{
		"a",
		"The quick brown fox jumps over the lazy dog.",
		strings.Repeat("several words of a longer text, ", 7),
	}
	yes := true
	options := []EmbedOptions{
		{},
		{Pooling: "mean", Tokens: true, Words: "mean"},
		{Pooling: "max", Layer: "mean:2", Normalize: &yes, Dimensions: 16},
	}
	for _, dt := range []struct {
		dtype modelfile.DType
		tol   float64
	}{{modelfile.F32, 1e-6}, {modelfile.I8, 0}} {
		e, err := LoadFile(tinyFile(t, dt.dtype))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range options {
			for _, text := range texts {
				want, err := e.Embed([]string{text}, o)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range []int{2, 3} {
					got, err := embedParts(e, text, o, k, 0)
					if err != nil {
						t.Fatalf("%s %+v %d parts: %v", dt.dtype, o, k, err)
					}
					for p, g := range got {
						if g == nil {
							t.Fatalf("%s part %d of %d: no embedding", dt.dtype, p, k)
						}
						if d := maxAbsDiff(g.Vector, want[0].Vector); d > dt.tol {
							t.Errorf("%s %+v %q part %d of %d: vector differs by %g", dt.dtype, o, text[:min(len(text), 20)], p, k, d)
						}
						if len(g.Tokens) != len(want[0].Tokens) || len(g.Words) != len(want[0].Words) || g.NumTokens != want[0].NumTokens {
							t.Errorf("%s part %d of %d: %d tokens, %d words, want %d, %d", dt.dtype, p, k, len(g.Tokens), len(g.Words), len(want[0].Tokens), len(want[0].Words))
						}
						for i := range g.Tokens {
							if d := maxAbsDiff(g.Tokens[i].Vector, want[0].Tokens[i].Vector); d > dt.tol {
								t.Errorf("%s part %d of %d: token %d differs by %g", dt.dtype, p, k, i, d)
							}
						}
					}
				}
			}
		}
	}
}

// TestEmbedPartShortText leaves a text below MinTokens to part 0: it
// returns the Embed result, the other parts nil, and nobody waits.
func TestEmbedPartShortText(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.I8))
	if err != nil {
		t.Fatal(err)
	}
	want, err := e.Embed([]string{"short text"}, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := embedParts(e, "short text", EmbedOptions{}, 3, 64)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] == nil || maxAbsDiff(got[0].Vector, want[0].Vector) != 0 {
		t.Errorf("part 0: %v, want the Embed vector", got[0])
	}
	if got[1] != nil || got[2] != nil {
		t.Errorf("parts 1 and 2 returned embeddings for a text left to part 0")
	}
}

func TestEmbedPartRejects(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	ex := bert.NewLocalExchange(1).Part()
	tests := []struct {
		name string
		o    EmbedOptions
		sp   Split
	}{
		{"chunking", EmbedOptions{Chunk: &Chunking{Size: 8}}, Split{Part: bert.Part{Count: 1}, Exchange: ex}},
		{"no exchange", EmbedOptions{}, Split{Part: bert.Part{Count: 1}}},
		{"bad part", EmbedOptions{}, Split{Part: bert.Part{Index: 1, Count: 1}, Exchange: ex}},
		{"bad option", EmbedOptions{Pooling: "median"}, Split{Part: bert.Part{Count: 1}, Exchange: ex}},
	}
	for _, tt := range tests {
		if _, err := e.EmbedPart("some text", tt.o, tt.sp); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}
