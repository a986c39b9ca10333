package tokenizer

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen_bytelevel.go

// byteChar returns the printable character GPT-2's byte-level BPE uses for byte b:
// printable Latin-1 bytes stand for themselves, the 68 others, in order, for U+0100
// onwards (0x00–0x20, then 0x7F–0xA0, then 0xAD).
func byteChar(b byte) rune {
	switch {
	case b <= 0x20:
		return 256 + rune(b)
	case b >= 0x7F && b <= 0xA0:
		return 256 + 33 + rune(b-0x7F)
	case b == 0xAD:
		return 256 + 67
	}
	return rune(b)
}

// ByteLevel is the byte-level pre-tokenizer of GPT-2 and RoBERTa.
type ByteLevel struct {
	// AddPrefixSpace adds a space before each piece that does not start with one, so
	// that the first word is encoded like the others.
	AddPrefixSpace bool
	// UseRegex splits with GPT-2's pattern (contractions, letters, digits, other
	// symbols, whitespace) before mapping bytes to characters.
	UseRegex bool
}

func (b ByteLevel) preTokenize(pieces []*normString) []*normString {
	out := make([]*normString, 0, len(pieces))
	for _, p := range pieces {
		if b.AddPrefixSpace && (len(p.norm) == 0 || p.norm[0] != ' ') {
			p.prepend(" ")
		}
		if b.UseRegex {
			out = p.split(gpt2Segments(p.norm), splitIsolated, out)
		} else if len(p.norm) > 0 {
			out = append(out, p)
		}
	}
	var dest []change
	for _, p := range out {
		dest = dest[:0]
		for _, c := range p.norm {
			dest = append(dest, change{byteChar(c), 1})
		}
		// Every byte of a character becomes a character; the first replaces it.
		for i, k := 0, 0; i < len(p.norm); k++ {
			_, size := utf8.DecodeRune(p.norm[i:])
			dest[i].change = 0
			i += size
		}
		p.transform(0, len(p.norm), dest, 0)
	}
	return out
}

// gpt2Segments splits s as GPT-2's pattern does,
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// which matches everywhere, so every segment is a match.
func gpt2Segments(s []byte) []segment {
	var segs []segment
	for i := 0; i < len(s); {
		n := gpt2Match(s[i:])
		segs = append(segs, segment{i, i + n, true})
		i += n
	}
	return segs
}

func gpt2Match(s []byte) int {
	if s[0] == '\'' && len(s) > 1 {
		switch s[1] {
		case 's', 't', 'm', 'd':
			return 2
		case 'r', 'v', 'l':
			if len(s) > 2 && (s[1] == 'r' && s[2] == 'e' || s[1] == 'v' && s[2] == 'e' || s[1] == 'l' && s[2] == 'l') {
				return 3
			}
		}
	}
	start := 0
	if s[0] == ' ' && len(s) > 1 {
		start = 1
	}
	r, _ := utf8.DecodeRune(s[start:])
	if c := gpt2ClassOf(r); c != gpt2Space {
		return start + runLen(s[start:], func(r rune) bool { return gpt2ClassOf(r) == c })
	}
	// Whitespace: the run, less its last character when something follows it.
	n := runLen(s, func(r rune) bool { return gpt2ClassOf(r) == gpt2Space })
	if n < len(s) {
		_, last := utf8.DecodeLastRune(s[:n])
		if n-last > 0 {
			return n - last
		}
	}
	return n
}

// gpt2Class is a character's class in GPT-2's pattern.
type gpt2Class uint8

const (
	gpt2Other  gpt2Class = iota // [^\s\p{L}\p{N}]
	gpt2Letter                  // \p{L}
	gpt2Number                  // \p{N}
	gpt2Space                   // \s
)

type gpt2ClassFix struct {
	runeRange
	class gpt2Class
}

// gpt2ClassOf classifies r as the reference's regex engine does: as Go's unicode
// package, except for the characters its older tables classify differently.
func gpt2ClassOf(r rune) gpt2Class {
	if r >= 0x80 {
		i := sort.Search(len(gpt2ClassFixes), func(i int) bool { return gpt2ClassFixes[i].hi >= r })
		if i < len(gpt2ClassFixes) && gpt2ClassFixes[i].lo <= r {
			return gpt2ClassFixes[i].class
		}
	}
	switch {
	case unicode.IsLetter(r):
		return gpt2Letter
	case unicode.IsNumber(r):
		return gpt2Number
	case isWhiteSpace(r):
		return gpt2Space
	}
	return gpt2Other
}

// runLen returns the length of the run of characters in class at the start of s.
func runLen(s []byte, class func(rune) bool) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRune(s[n:])
		if !class(r) {
			break
		}
		n += size
	}
	return n
}

// isWhiteSpace is the Unicode White_Space property: \s of the reference's regular
// expressions and Rust's char::is_whitespace.
func isWhiteSpace(r rune) bool { return unicode.Is(unicode.White_Space, r) }

// trimByteLevelOffsets narrows the character offsets of tokens that begin or end with
// spaces (Ġ or whitespace) to exclude them, as tokenizers' ByteLevel process_offsets
// does; with addPrefixSpace a single leading space of a first token is kept, it was added.
func trimByteLevelOffsets(toks []token, offs []span, addPrefixSpace bool) {
	isSpace := func(r rune) bool { return r == byteChar(' ') || isWhiteSpace(r) }
	for i, t := range toks {
		o := &offs[i]
		lead, trail := 0, 0
		for _, r := range t.value {
			if !isSpace(r) {
				break
			}
			lead++
		}
		for s := t.value; len(s) > 0; {
			r, size := utf8.DecodeLastRuneInString(s)
			if !isSpace(r) {
				break
			}
			trail++
			s = s[:len(s)-size]
		}
		if lead > 0 {
			first := i == 0 || o.s == 0
			if first && addPrefixSpace && lead == 1 {
				lead = 0
			}
			o.s = min(o.s+lead, o.e)
		}
		if trail > 0 && o.e >= trail {
			o.e = max(o.e-trail, o.s)
		}
	}
}
