package tokenizer

import (
	"slices"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestDecompositionTable checks appendDecomposed, which reads the generated nfdRunes, nfdEnd and nfdData
// and computes Hangul, against golang.org/x/text/unicode/norm on every code point.
func TestDecompositionTable(t *testing.T) {
	reference := func(r rune) []rune {
		if r < 0xC0 || inRanges(r, hfNoDecompose) {
			return []rune{r}
		}
		return []rune(norm.NFD.String(string(r)))
	}
	decomposing := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		want := reference(r)
		if got := appendDecomposed(nil, r); !slices.Equal(got, want) {
			t.Fatalf("U+%04X: appendDecomposed %U, x/text NFD %U", r, got, want)
		}
		if len(want) > 1 || want[0] != r {
			decomposing++
		}
	}
	if decomposing < 13000 {
		t.Errorf("only %d code points decompose; want the ~2,000 of the table plus 11,172 Hangul syllables", decomposing)
	}
	if !slices.IsSorted(nfdRunes) || len(nfdEnd) != len(nfdRunes) {
		t.Error("nfdRunes is not sorted or does not match nfdEnd")
	}
}
