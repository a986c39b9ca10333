package tokenizer

import (
	"slices"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestCompatibilityTables checks appendCompatDecomposed and combiningClass, which
// read the generated tables_nfkd.go, against golang.org/x/text/unicode/norm on every
// code point (but those whose canonical decomposition the reference's older tables
// lack, hfNoDecompose).
func TestCompatibilityTables(t *testing.T) {
	decomposing := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		if got, want := combiningClass(r), norm.NFD.PropertiesString(s).CCC(); got != want {
			t.Fatalf("U+%04X: combining class %d, x/text %d", r, got, want)
		}
		if r >= 0xC0 && inRanges(r, hfNoDecompose) {
			continue
		}
		want := []rune(norm.NFKD.String(s))
		if got := appendCompatDecomposed(nil, r); !slices.Equal(got, want) {
			t.Fatalf("U+%04X: appendCompatDecomposed %U, x/text NFKD %U", r, got, want)
		}
		if len(want) > 1 || want[0] != r {
			decomposing++
		}
	}
	if decomposing < 16000 {
		t.Errorf("only %d code points decompose; want the ~5,000 of the tables plus 11,172 Hangul syllables", decomposing)
	}
	if !slices.IsSorted(nfkdRunes) || len(nfkdEnd) != len(nfkdRunes) {
		t.Error("nfkdRunes is not sorted or does not match nfkdEnd")
	}
}
