package tokenizer_test

import (
	"strings"
	"testing"

	. "github.com/wasmbert/wasmbert/model/tokenizer"
	"github.com/wasmbert/wasmbert/model/tokenizer/hfdir"
)

// BenchmarkEncodeFamilies encodes the same text with WordPiece, byte-level BPE and
// Unigram, side by side, in bytes/s and tokens/s.
func BenchmarkEncodeFamilies(b *testing.B) {
	text := strings.Repeat("The quick brown fox jumps over the lazy dog; naïve café, 中文, state-of-the-art tokenization! ", 40)
	wordpiece, err := hfdir.Load("testdata/uncased")
	if err != nil {
		b.Fatal(err)
	}
	encs := []struct {
		name string
		enc  Encoder
	}{{"wordpiece", wordpiece}, {"bpe", loadPipeline(b, "bpe")}, {"unigram", loadPipeline(b, "unigram")}}
	for _, e := range encs {
		b.Run(e.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			tokens := 0
			for b.Loop() {
				tokens += len(e.enc.Encode(text, 0).IDs)
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
