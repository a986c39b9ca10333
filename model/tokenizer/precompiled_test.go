package tokenizer

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"
	"unicode/utf8"
)

// realCharsmap returns the nmt_nfkc charsmap of testdata/unigram/tokenizer.json.
func realCharsmap(t testing.TB) []byte {
	b, err := os.ReadFile("testdata/unigram/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Normalizer struct {
			Normalizers []struct {
				Charsmap string `json:"precompiled_charsmap"`
			} `json:"normalizers"`
		} `json:"normalizer"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	m, err := base64.StdEncoding.DecodeString(v.Normalizer.Normalizers[0].Charsmap)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// FuzzPrecompiled checks that the real charsmap with one byte changed either fails to
// load or normalizes any text into valid UTF-8 with an alignment per byte inside the
// text, without panicking.
func FuzzPrecompiled(f *testing.F) {
	m := realCharsmap(f)
	f.Add("ｶﾞｷﾞ㍿ﬁx", 0, byte(0))
	f.Add("e\u0301\u0301 ™\x1eg\r\n", 100, byte(0xFF))
	f.Add("\xff①½", 7, byte(0x80))
	f.Fuzz(func(t *testing.T, text string, at int, b byte) {
		at %= len(m)
		if at < 0 {
			at += len(m)
		}
		m[at] ^= b
		defer func() { m[at] ^= b }()
		p, err := NewPrecompiled(m)
		if err != nil {
			return
		}
		n := newNormString(text)
		p.normalize(n)
		if !utf8.Valid(n.norm) || len(n.norm) != len(n.align) {
			t.Fatalf("%q: %d bytes, %d alignments, valid %v", text, len(n.norm), len(n.align), utf8.Valid(n.norm))
		}
		for _, a := range n.align {
			if a.s < 0 || a.s > a.e || a.e > len(text) {
				t.Fatalf("%q: alignment %v out of the text", text, a)
			}
		}
	})
}
