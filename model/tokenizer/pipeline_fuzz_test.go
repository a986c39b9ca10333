package tokenizer_test

import (
	"strings"
	"testing"

	. "github.com/wasmbert/wasmbert/model/tokenizer"
)

var pipelineSeeds = []string{"", "Hello, world!", "café 中文 한국어 😀", "<s> x </s>", "a <mask> b", "a<new>b  c",
	"wasmbert wasmbertx", "\xff\xe2\x82", "e\u0301\u0301\u200b\x00", strings.Repeat("ab", 60), "İstanbul\u3000ΣΑΣ",
	"ｶﾞｷﾞ㍿ﬁ ™\x1eg", "  two  spaces  ", "\r\n\t\v", "👩🏽‍💻🇫🇷", "'s 'LL it's", "①②③ ½"}

// FuzzBPE checks that any input encodes with the byte-level BPE tokenizer without
// panicking, into ids in range with offsets inside the text. Run locally with
// go test -fuzz=FuzzBPE -fuzztime=1m ./model/tokenizer/
func FuzzBPE(f *testing.F) {
	fuzzPipeline(f, "bpe", "bpe_prefix")
}

// FuzzUnigram is FuzzBPE for the Unigram tokenizers (precompiled NFKC charsmap, and
// byte fallback).
func FuzzUnigram(f *testing.F) {
	fuzzPipeline(f, "unigram", "unigram_v5")
}

func fuzzPipeline(f *testing.F, dirs ...string) {
	for _, s := range pipelineSeeds {
		f.Add(s, "second", 16)
	}
	var ps []*Pipeline
	for _, d := range dirs {
		ps = append(ps, loadPipeline(f, d))
	}
	f.Fuzz(func(t *testing.T, a, b string, maxLen int) {
		maxLen %= 600
		for i, p := range ps {
			single, pair := p.Encode(a, maxLen), p.EncodePair(a, b, maxLen)
			checkPipelineEncoding(t, dirs[i], p, single, a, a)
			checkPipelineEncoding(t, dirs[i], p, pair, a, b)
			// Below 2 (4 for pairs) the special tokens do not fit and the limit is ignored.
			if maxLen >= 2 && len(single.IDs) > maxLen || maxLen >= 4 && b != "" && len(pair.IDs) > maxLen {
				t.Fatalf("%s: %d and %d tokens over the limit %d", dirs[i], len(single.IDs), len(pair.IDs), maxLen)
			}
		}
	})
}

func checkPipelineEncoding(t *testing.T, name string, p *Pipeline, e Encoding, a, b string) {
	t.Helper()
	n := len(e.IDs)
	if len(e.TypeIDs) != n || len(e.Mask) != n || len(e.Tokens) != n || len(e.Offsets) != n || len(e.WordIDs) != n {
		t.Fatalf("%s: field lengths differ", name)
	}
	if n < 2 || e.Tokens[0] != "<s>" || e.Tokens[n-1] != "</s>" {
		t.Fatalf("%s: not framed by <s> ... </s>: %q", name, e.Tokens)
	}
	if e.FullLength < n || e.Truncated != (e.FullLength > n) {
		t.Fatalf("%s: full length %d, truncated %v, %d tokens", name, e.FullLength, e.Truncated, n)
	}
	for i, id := range e.IDs {
		if id < 0 || int(id) >= p.VocabSize() || p.Token(id) != e.Tokens[i] || e.Mask[i] != 1 {
			t.Fatalf("%s: token %d: id %d out of range or not %q", name, i, id, e.Tokens[i])
		}
		o := e.Offsets[i]
		if e.WordIDs[i] < 0 {
			if o != (Offset{}) {
				t.Fatalf("%s: special token %d has offsets %+v", name, i, o)
			}
			continue
		}
		ok := false
		for _, src := range []string{a, b} {
			if o.ByteStart >= 0 && o.ByteStart <= o.ByteEnd && o.ByteEnd <= len(src) &&
				byteOffset(src, o.CharStart) == o.ByteStart && byteOffset(src, o.CharEnd) == o.ByteEnd {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("%s: token %d %q: bad offsets %+v in %q / %q", name, i, e.Tokens[i], o, a, b)
		}
	}
}
