package tokenizer_test

import (
	"strings"
	"testing"

	. "github.com/wasmbert/wasmbert/model/tokenizer"
	"github.com/wasmbert/wasmbert/model/tokenizer/hfdir"
)

// FuzzEncode checks that any input encodes without panicking into ids in range with
// offsets that are valid, ordered and within the text. Run locally with
// go test -fuzz=FuzzEncode -fuzztime=1m ./model/tokenizer/
func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "Hello, world!", "café 中文 한국어 😀", "[CLS] x [SEP]", "a[MASK]b",
		"\xff\xe2\x82", "e\u0301\u200b\x00", strings.Repeat("ab", 60), "İstanbul\u3000ΣΑΣ"} {
		f.Add(s, "second", 16)
	}
	toks := map[string]*Tokenizer{}
	for _, dir := range []string{"uncased", "cased"} {
		tok, err := hfdir.Load("testdata/" + dir)
		if err != nil {
			f.Fatal(err)
		}
		toks[dir] = tok
	}
	f.Fuzz(func(t *testing.T, a, b string, maxLen int) {
		maxLen %= 600
		for name, tok := range toks {
			single, pair := tok.Encode(a, maxLen), tok.EncodePair(a, b, maxLen)
			checkEncoding(t, name, tok, single, a, b, maxLen)
			checkEncoding(t, name, tok, pair, a, b, maxLen)
			// Below these sizes the special tokens do not fit and the limit is ignored.
			if maxLen >= 2 && len(single.IDs) > maxLen || maxLen >= 3 && len(pair.IDs) > maxLen {
				t.Fatalf("%s: %d and %d tokens over the limit %d", name, len(single.IDs), len(pair.IDs), maxLen)
			}
		}
	})
}

func checkEncoding(t *testing.T, name string, tok *Tokenizer, e Encoding, a, b string, maxLen int) {
	t.Helper()
	n := len(e.IDs)
	if len(e.TypeIDs) != n || len(e.Mask) != n || len(e.Tokens) != n || len(e.Offsets) != n || len(e.WordIDs) != n {
		t.Fatalf("%s: field lengths differ", name)
	}
	if n < 2 || e.IDs[0] != tok.ClsID() || e.IDs[n-1] != tok.SepID() {
		t.Fatalf("%s: not framed by [CLS] ... [SEP]: %q", name, e.Tokens)
	}
	if e.FullLength < n || e.Truncated != (e.FullLength > n) {
		t.Fatalf("%s: full length %d, truncated %v, %d tokens", name, e.FullLength, e.Truncated, n)
	}
	if e.Truncated && maxLen > 0 && n > maxLen {
		t.Fatalf("%s: truncated to %d tokens, over the limit %d", name, n, maxLen)
	}
	var last [2]Offset
	for i, id := range e.IDs {
		// Segment ids never go back: the first text, then the second.
		if e.TypeIDs[i] != 0 && e.TypeIDs[i] != 1 || i > 0 && e.TypeIDs[i] < e.TypeIDs[i-1] {
			t.Fatalf("%s: token %d: type ids %v", name, i, e.TypeIDs)
		}
		if e.Mask[i] != 1 {
			t.Fatalf("%s: token %d: mask %v on an unpadded encoding", name, i, e.Mask)
		}
		if id < 0 || int(id) >= tok.VocabSize() || tok.Token(id) != e.Tokens[i] {
			t.Fatalf("%s: token %d: id %d out of range or not %q", name, i, id, e.Tokens[i])
		}
		if e.WordIDs[i] < 0 {
			continue
		}
		src, typ := a, e.TypeIDs[i]
		if typ == 1 {
			src = b
		}
		o := e.Offsets[i]
		if o.ByteStart < 0 || o.ByteStart >= o.ByteEnd || o.ByteEnd > len(src) || o.CharStart >= o.CharEnd {
			t.Fatalf("%s: token %d %q: bad offsets %+v in %q", name, i, e.Tokens[i], o, src)
		}
		if p := last[typ]; o.ByteStart < p.ByteStart || o.ByteEnd < p.ByteEnd || o.CharStart < p.CharStart {
			t.Fatalf("%s: token %d %q: offsets %+v before %+v", name, i, e.Tokens[i], o, p)
		}
		last[typ] = o
	}
}
