package tokenizer

import "unicode/utf8"

// decodeRune decodes the first character of s like utf8.DecodeRuneInString, except that
// an invalid sequence is consumed up to the end of its maximal subpart (the longest prefix
// of a well-formed sequence, at least one byte) and yields one U+FFFD. This is how Python
// decodes bytes with errors="replace", so character offsets agree with the reference run
// on the decoded string.
func decodeRune(s string) (rune, int) {
	r, n := utf8.DecodeRuneInString(s)
	if r != utf8.RuneError || n != 1 || len(s) == 0 {
		return r, n
	}
	need, lo, hi := 0, byte(0x80), byte(0xBF)
	switch b := s[0]; {
	case b >= 0xC2 && b <= 0xDF:
		need = 1
	case b == 0xE0:
		need, lo = 2, 0xA0
	case b == 0xED:
		need, hi = 2, 0x9F
	case b >= 0xE1 && b <= 0xEF:
		need = 2
	case b == 0xF0:
		need, lo = 3, 0x90
	case b == 0xF4:
		need, hi = 3, 0x8F
	case b >= 0xF1 && b <= 0xF3:
		need = 3
	default:
		return utf8.RuneError, 1
	}
	i := 1
	for ; i <= need && i < len(s); i++ {
		if c := s[i]; c < lo || c > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return utf8.RuneError, i
}
