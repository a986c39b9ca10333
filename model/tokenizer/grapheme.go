package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// graphemeClass is a character's Grapheme_Cluster_Break property (UAX #29), derived
// from the unicode package's categories.
type graphemeClass uint8

const (
	gcOther graphemeClass = iota
	gcCR
	gcLF
	gcControl
	gcExtend
	gcZWJ
	gcSpacingMark
	gcPrepend
	gcL
	gcV
	gcT
	gcLV
	gcLVT
	gcRI
)

func graphemeClassOf(r rune) graphemeClass {
	switch {
	case r == '\r':
		return gcCR
	case r == '\n':
		return gcLF
	case r == 0x200D:
		return gcZWJ
	case r < 0x20 || r >= 0x7F && r < 0xA0:
		return gcControl
	case r < 0x300:
		return gcOther
	case r >= 0x1F3FB && r <= 0x1F3FF, unicode.In(r, unicode.Mn, unicode.Me, unicode.Other_Grapheme_Extend):
		return gcExtend
	case r >= 0x1F1E6 && r <= 0x1F1FF:
		return gcRI
	case unicode.Is(unicode.Prepended_Concatenation_Mark, r):
		return gcPrepend
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
		return gcControl
	case r == 0xE33 || r == 0xEB3 || unicode.Is(unicode.Mc, r):
		return gcSpacingMark
	case r >= 0x1100 && r <= 0x115F, r >= 0xA960 && r <= 0xA97C:
		return gcL
	case r >= 0x1160 && r <= 0x11A7, r >= 0xD7B0 && r <= 0xD7C6:
		return gcV
	case r >= 0x11A8 && r <= 0x11FF, r >= 0xD7CB && r <= 0xD7FB:
		return gcT
	case r >= hangulBase && r < hangulBase+hangulCount:
		if (r-hangulBase)%jamoTCount == 0 {
			return gcLV
		}
		return gcLVT
	}
	return gcOther
}

// graphemeLen returns the length in bytes of the extended grapheme cluster s starts
// with. It follows UAX #29 except for emoji ZWJ sequences (GB11) and Indic conjuncts
// (GB9c), which only join clusters of 6 bytes or more, longer than any the Precompiled
// normalizer treats as a whole.
func graphemeLen(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	prev := graphemeClassOf(r)
	ri := 0
	if prev == gcRI {
		ri = 1
	}
	for size < len(s) {
		r, n := utf8.DecodeRuneInString(s[size:])
		c := graphemeClassOf(r)
		if !graphemeJoins(prev, c, ri) {
			break
		}
		if c == gcRI {
			ri++
		}
		prev = c
		size += n
	}
	return size
}

// graphemeJoins reports whether there is no boundary between classes a and b; ri
// counts the regional indicators before b.
func graphemeJoins(a, b graphemeClass, ri int) bool {
	switch {
	case a == gcCR && b == gcLF:
		return true
	case a == gcCR || a == gcLF || a == gcControl || b == gcCR || b == gcLF || b == gcControl:
		return false
	case a == gcL && (b == gcL || b == gcV || b == gcLV || b == gcLVT),
		(a == gcLV || a == gcV) && (b == gcV || b == gcT),
		(a == gcLVT || a == gcT) && b == gcT:
		return true
	case b == gcExtend || b == gcZWJ || b == gcSpacingMark || a == gcPrepend:
		return true
	case a == gcRI && b == gcRI:
		return ri%2 == 1
	}
	return false
}
