package tokenizer_test

import (
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/tokenizer/hfdir"
)

// BenchmarkEncode reports tokens/s as tokens returned per second; with a maximum length
// the whole text is still tokenized, as FullLength needs it.
func BenchmarkEncode(b *testing.B) {
	tok, err := hfdir.Load("testdata/uncased")
	if err != nil {
		b.Fatal(err)
	}
	short := "A man is eating a piece of bread."
	long := strings.Repeat("The quick brown fox jumps over the lazy dog; naïve café, 中文, state-of-the-art tokenization! ", 40)
	for _, bc := range []struct {
		name, text string
		maxLen     int
	}{
		{"short", short, 0},
		{"long", long, 0},
		{"long/max256", long, 256},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.text)))
			tokens := 0
			for b.Loop() {
				tokens += len(tok.Encode(bc.text, bc.maxLen).IDs)
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
