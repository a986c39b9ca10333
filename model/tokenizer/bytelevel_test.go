package tokenizer

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestGPT2Classes checks every code point against testdata/hf_bytelevel.txt, the
// classes of the byte-level pattern recorded from the reference.
func TestGPT2Classes(t *testing.T) {
	f, err := os.Open("testdata/hf_bytelevel.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := make([]gpt2Class, unicode.MaxRune+1)
	names := map[string]gpt2Class{"letter": gpt2Letter, "number": gpt2Number, "space": gpt2Space}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		lo, err1 := strconv.ParseUint(fs[1], 16, 32)
		hi, err2 := strconv.ParseUint(fs[2], 16, 32)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		for r := lo; r <= hi; r++ {
			want[r] = names[fs[0]]
		}
	}
	bad := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if got := gpt2ClassOf(r); got != want[r] {
			if bad++; bad <= 10 {
				t.Errorf("U+%04X: class %d, reference %d", r, got, want[r])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d code points differ (go generate refreshes tables_bytelevel.go)", bad)
	}
}

func TestGPT2Segments(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Hello world", []string{"Hello", " world"}},
		{"it's I'll we've", []string{"it", "'s", " I", "'ll", " we", "'ve"}},
		{"a  b", []string{"a", " ", " b"}},
		{"a \n b", []string{"a", " \n", " b"}},
		{"x\ny", []string{"x", "\n", "y"}},
		{"end   ", []string{"end", "   "}},
		{"123abc!!", []string{"123", "abc", "!!"}},
		{" !?", []string{" !?"}},
		{"'S 'x", []string{"'", "S", " '", "x"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range gpt2Segments([]byte(tt.in)) {
			got = append(got, tt.in[s.lo:s.hi])
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestByteChar checks the byte-to-character map against GPT-2's bytes_to_unicode.
func TestByteChar(t *testing.T) {
	var want [256]rune
	n := rune(0)
	for b := range 256 {
		if b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE {
			want[b] = rune(b)
		} else {
			want[b] = 256 + n
			n++
		}
	}
	for b := range 256 {
		if got := byteChar(byte(b)); got != want[b] {
			t.Errorf("byte %#x: %U, want %U", b, got, want[b])
		}
	}
}
