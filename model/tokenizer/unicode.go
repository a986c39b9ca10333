package tokenizer

import (
	"slices"
	"sort"
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen_tables.go
//go:generate go run gen_nfd.go

// runeRange is an inclusive range of code points.
type runeRange struct{ lo, hi rune }

func inRanges(r rune, table []runeRange) bool {
	i := sort.Search(len(table), func(i int) bool { return table[i].hi >= r })
	return i < len(table) && table[i].lo <= r
}

// isControl reports whether clean_text removes r. Tab, newline and carriage return are
// whitespace, not controls; U+0000 and U+FFFD are in the table.
func isControl(r rune) bool {
	if r < utf8.RuneSelf {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7F
	}
	return inRanges(r, hfControl)
}

// isSpace reports whether r is whitespace to the normalizer and the pre-tokenizer.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	return inRanges(r, hfSpace)
}

// isPunct reports whether the pre-tokenizer isolates r: all ASCII symbols
// (33–47, 58–64, 91–96, 123–126) and Unicode P* in the reference's tables.
func isPunct(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '!' && r <= '/' || r >= ':' && r <= '@' || r >= '[' && r <= '`' || r >= '{' && r <= '~'
	}
	return inRanges(r, hfPunct)
}

// isCJK reports whether r is in the CJK ideograph blocks of BERT's _is_chinese_char.
func isCJK(r rune) bool { return r >= 0x3400 && inRanges(r, hfCJK) }

// isMark reports whether strip_accents removes r.
func isMark(r rune) bool { return r >= 0x300 && inRanges(r, hfMark) }

// appendDecomposed appends the canonical decomposition (NFD) of r to dst. Combining
// marks are not reordered across input characters; with strip_accents all nonspacing
// marks go anyway, so only spacing marks with a combining class could differ from the
// reference.
func appendDecomposed(dst []rune, r rune) []rune {
	if r < 0xC0 || inRanges(r, hfNoDecompose) {
		return append(dst, r)
	}
	if r >= hangulBase && r < hangulBase+hangulCount {
		return appendHangul(dst, r)
	}
	// The table holds full decompositions, so no recursion is needed.
	i, ok := slices.BinarySearch(nfdRunes, r)
	if !ok {
		return append(dst, r)
	}
	start := 0
	if i > 0 {
		start = int(nfdEnd[i-1])
	}
	for _, c := range nfdData[start:nfdEnd[i]] {
		dst = append(dst, c)
	}
	return dst
}

// Hangul syllables decompose algorithmically into conjoining jamo (Unicode 3.12).
const (
	hangulBase             = 0xAC00
	hangulCount            = 11172
	jamoL, jamoV, jamoT    = 0x1100, 0x1161, 0x11A7
	jamoVCount, jamoTCount = 21, 28
)

func appendHangul(dst []rune, r rune) []rune {
	s := r - hangulBase
	dst = append(dst, jamoL+s/(jamoVCount*jamoTCount), jamoV+s%(jamoVCount*jamoTCount)/jamoTCount)
	if t := s % jamoTCount; t != 0 {
		dst = append(dst, jamoT+t)
	}
	return dst
}

// appendLower appends the lowercase of r to dst. Like Rust's char::to_lowercase, U+0130
// (capital I with dot above) becomes two characters, i and a combining dot above.
func appendLower(dst []rune, r rune) []rune {
	switch {
	case r < utf8.RuneSelf:
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r)
	case r == 0x130:
		return append(dst, 'i', 0x307)
	}
	return append(dst, unicode.ToLower(r))
}
