package tokenizer

import "unicode/utf8"

// span is a byte range [s, e) of the original text.
type span struct{ s, e int }

// normString is a piece of text being normalized, as tokenizers' NormalizedString: the
// normalized bytes and, for each of them, the range of the original text it came from.
// Offsets are absolute (into the whole original text), so slices need no shift.
//
// The operations reproduce the reference's offset bookkeeping step by step, quirks
// included, because the offsets of every token depend on it.
type normString struct {
	norm  []byte
	align []span
	// base is where the piece starts in the original text; characters inserted
	// before everything else align to the empty range there.
	base int
}

// newNormString starts normalizing text. Invalid UTF-8 reads as Python's
// errors="replace" decoding: each maximal invalid subsequence is one U+FFFD.
func newNormString(text string) *normString {
	n := &normString{norm: make([]byte, 0, len(text)), align: make([]span, 0, len(text))}
	for i := 0; i < len(text); {
		r, size := decodeRune(text[i:])
		n.appendRune(r, span{i, i + size})
		i += size
	}
	return n
}

func (n *normString) appendRune(r rune, a span) {
	k := len(n.norm)
	n.norm = utf8.AppendRune(n.norm, r)
	for range len(n.norm) - k {
		n.align = append(n.align, a)
	}
}

// change is one character of a transformation: change is 0 when the character replaces
// the next one of the input, -k when it also removes the k characters after that, and
// positive when it is inserted.
type change struct {
	r      rune
	change int
}

// transform replaces the normalized bytes [lo, hi) by dest, skipping first the
// initial characters removed at the start (tokenizers' transform_range).
func (n *normString) transform(lo, hi int, dest []change, initial int) {
	old := string(n.norm[lo:hi])
	pos := 0 // next unconsumed byte of old
	next := func() int {
		if pos >= len(old) {
			return 0
		}
		_, size := utf8.DecodeRuneInString(old[pos:])
		pos += size
		return size
	}
	offset := lo
	for range initial {
		offset += next()
	}
	var norm []byte
	var align []span
	for _, d := range dest {
		var a span
		switch {
		case d.change > 0 && offset < 1:
			a = span{n.base, n.base}
		case d.change > 0:
			a = n.align[offset-1]
		case offset < len(n.align):
			a = n.align[offset]
		default:
			// The reference would index out of range; it never gets here on valid input.
			a = span{n.end(), n.end()}
		}
		if d.change <= 0 {
			offset += next()
		}
		for range -d.change {
			offset += next()
		}
		k := len(norm)
		norm = utf8.AppendRune(norm, d.r)
		for range len(norm) - k {
			align = append(align, a)
		}
	}
	n.norm = append(n.norm[:lo], append(norm, n.norm[hi:]...)...)
	n.align = append(n.align[:lo], append(align, n.align[hi:]...)...)
}

// end is the original offset just past the piece.
func (n *normString) end() int {
	if len(n.align) == 0 {
		return n.base
	}
	return n.align[len(n.align)-1].e
}

// replaceAll replaces the normalized byte ranges ms (in order, not overlapping) by s,
// every new character aligned like the last byte it replaces (tokenizers'
// NormalizedString::replace, which inserts them after removing the match).
func (n *normString) replaceAll(ms []span, s string) {
	if len(ms) == 0 {
		return
	}
	norm := make([]byte, 0, len(n.norm))
	align := make([]span, 0, len(n.align))
	last := 0
	for _, m := range ms {
		norm = append(norm, n.norm[last:m.s]...)
		align = append(align, n.align[last:m.s]...)
		a := n.align[m.e-1]
		norm = append(norm, s...)
		for range len(s) {
			align = append(align, a)
		}
		last = m.e
	}
	n.norm = append(norm, n.norm[last:]...)
	n.align = append(align, n.align[last:]...)
}

// prepend inserts s before the first character, aligned with it.
func (n *normString) prepend(s string) {
	if len(n.norm) == 0 {
		return
	}
	first, size := utf8.DecodeRune(n.norm)
	var dest []change
	for i, r := range []rune(s) {
		dest = append(dest, change{r, min(i, 1)})
	}
	n.transform(0, size, append(dest, change{first, 1}), 0)
}

// slice returns the normalized bytes [lo, hi) as a piece of their own. It shares n's
// arrays, capped so that growing one piece never writes into another; n itself must
// not be changed afterwards (pieces are only ever split further).
func (n *normString) slice(lo, hi int) *normString {
	s := &normString{norm: n.norm[lo:hi:hi], align: n.align[lo:hi:hi], base: n.base}
	if lo < hi {
		s.base = n.align[lo].s
	}
	return s
}

// original maps the normalized byte range [lo, hi) to the original text as the
// reference does: from the start of the first byte's range to the end of the last's.
// An empty range is returned as is, relative to the piece (a quirk of the reference).
func (n *normString) original(lo, hi int) span {
	if lo >= hi || hi > len(n.align) {
		return span{n.base + lo, n.base + hi}
	}
	return span{n.align[lo].s, n.align[hi-1].e}
}

// segment is a byte range of a piece's normalized text that a pattern matched or not.
type segment struct {
	lo, hi int
	match  bool
}

// splitBehavior says what split does with the matched segments (tokenizers'
// SplitDelimiterBehavior).
type splitBehavior int

const (
	splitRemoved splitBehavior = iota
	splitIsolated
	splitMergedWithNext
)

// split cuts the piece at the segments, which cover it in order, and appends the
// non-empty pieces to out.
func (n *normString) split(segs []segment, how splitBehavior, out []*normString) []*normString {
	var ranges []segment
	switch how {
	case splitRemoved:
		for _, s := range segs {
			if !s.match {
				ranges = append(ranges, s)
			}
		}
	case splitIsolated:
		ranges = segs
	case splitMergedWithNext:
		prev := false
		for _, s := range segs {
			if s.match && !prev || len(ranges) == 0 {
				ranges = append(ranges, s)
			} else {
				ranges[len(ranges)-1].hi = s.hi
			}
			prev = s.match
		}
	}
	for _, r := range ranges {
		if r.lo < r.hi {
			out = append(out, n.slice(r.lo, r.hi))
		}
	}
	return out
}

// runeSegments returns the segments of s where each character for which match is
// true is a segment of its own.
func runeSegments(s []byte, match func(rune) bool) []segment {
	var segs []segment
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		if match(r) {
			if last < i {
				segs = append(segs, segment{last, i, false})
			}
			segs = append(segs, segment{i, i + size, true})
			last = i + size
		}
		i += size
	}
	if last < len(s) {
		segs = append(segs, segment{last, len(s), false})
	}
	return segs
}
