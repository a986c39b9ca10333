package tokenizer

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestUnicodeTables checks every code point against testdata/hf_unicode.txt, the
// behaviour of tokenizers' BertNormalizer and BertPreTokenizer recorded per character.
func TestUnicodeTables(t *testing.T) {
	f, err := os.Open("testdata/hf_unicode.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	classes := map[string]map[rune]bool{}
	maps := map[string]map[rune][]rune{"nfd": {}, "lower": {}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		var cps []rune
		for _, h := range fs[1:] {
			v, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			cps = append(cps, rune(v))
		}
		if m, ok := maps[fs[0]]; ok {
			m[cps[0]] = cps[1:]
			continue
		}
		if classes[fs[0]] == nil {
			classes[fs[0]] = map[rune]bool{}
		}
		for r := cps[0]; r <= cps[1]; r++ {
			classes[fs[0]][r] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	preds := []struct {
		class string
		is    func(rune) bool
	}{
		{"control", isControl}, {"space", isSpace}, {"punct", isPunct}, {"cjk", isCJK}, {"mark", isMark},
	}
	bad := 0
	report := func(format string, args ...any) {
		if bad++; bad <= 20 {
			t.Errorf(format, args...)
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		for _, p := range preds {
			if got, want := p.is(r), classes[p.class][r]; got != want {
				report("U+%04X: %s = %v, reference %v", r, p.class, got, want)
			}
		}
		if !isMark(r) {
			var stripped []rune
			decomposed := appendDecomposed(nil, r)
			for _, c := range decomposed {
				if !isMark(c) {
					stripped = append(stripped, c)
				}
			}
			want, ok := maps["nfd"][r]
			if !ok {
				want = []rune{r}
			}
			if !slices.Equal(stripped, want) {
				report("U+%04X: stripped %U, reference %U", r, stripped, want)
			}
		}
		want, ok := maps["lower"][r]
		if !ok {
			want = []rune{r}
		}
		if got := appendLower(nil, r); !slices.Equal(got, want) {
			report("U+%04X: lowercase %U, reference %U", r, got, want)
		}
	}
	if bad > 0 {
		t.Errorf("%d differences from the reference", bad)
	}
}

// TestDecodeRune checks that invalid UTF-8 splits into U+FFFD characters as Python's
// bytes.decode("utf-8", errors="replace") does.
func TestDecodeRune(t *testing.T) {
	tests := []struct {
		in    string
		sizes []int
	}{
		{"a", []int{1}},
		{"é", []int{2}},
		{"\xff", []int{1}},
		{"\xe2\x82", []int{2}},           // truncated 3-byte sequence: one U+FFFD
		{"\xe2\x82x", []int{2, 1}},       // ... followed by ASCII
		{"\xf0\x9f\x98", []int{3}},       // truncated 4-byte sequence
		{"\xed\xa0\x80", []int{1, 1, 1}}, // surrogate: ED must be followed by 80–9F
		{"\xc0\xaf", []int{1, 1}},        // overlong: C0 is never valid
		{"\xe0\x80", []int{1, 1}},        // E0 must be followed by A0–BF
		{"\xf4\x90\x80\x80", []int{1, 1, 1, 1}},
		{"\x80\x80", []int{1, 1}},
		{"\xef\xbf\xbd", []int{3}}, // a real U+FFFD
	}
	for _, tt := range tests {
		var sizes []int
		for s := tt.in; s != ""; {
			_, n := decodeRune(s)
			sizes = append(sizes, n)
			s = s[n:]
		}
		if !slices.Equal(sizes, tt.sizes) {
			t.Errorf("decodeRune(%q): sizes %v, want %v", tt.in, sizes, tt.sizes)
		}
	}
}
