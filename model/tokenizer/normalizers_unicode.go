package tokenizer

// The character-wise normalizers of SentencePiece conversions such as XLNet's:
// NFKD, StripAccents and Lowercase, each recording its changes as tokenizers does
// so that offsets map back.

import (
	"slices"
	"sort"
	"unicode"
)

//go:generate go run gen_nfkd.go

// NFKD decomposes text by compatibility (tokenizers' NFKD normalizer), as XLNet's
// and ALBERT's converters put it before StripAccents. Its tables (tables_nfkd.go,
// about 40 kB) are linked only into programs that build an NFKD.
type NFKD struct{}

func (NFKD) normalize(n *normString) {
	var dest []change
	var buf [32]rune
	modified := false
	for _, r := range string(n.norm) {
		d := appendCompatDecomposed(buf[:0], r)
		// As the reference's decomposition iterator records it: the first
		// character replaces the input one, the others are inserted.
		for i, c := range d {
			dest = append(dest, change{c, min(i, 1)})
		}
		modified = modified || len(d) != 1 || d[0] != r
	}
	// Canonical ordering across the input characters: each run of combining
	// characters is sorted stably by class, their changes travelling with them.
	for i := 0; i < len(dest); {
		if combiningClass(dest[i].r) == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(dest) && combiningClass(dest[j].r) != 0 {
			j++
		}
		run := dest[i:j]
		if !slices.IsSortedFunc(run, byCombiningClass) {
			slices.SortStableFunc(run, byCombiningClass)
			modified = true
		}
		i = j
	}
	if modified {
		n.transform(0, len(n.norm), dest, 0)
	}
}

// appendCompatDecomposed appends the compatibility decomposition of r to dst.
func appendCompatDecomposed(dst []rune, r rune) []rune {
	if r < 0xA0 {
		return append(dst, r)
	}
	i, ok := slices.BinarySearch(nfkdRunes, r)
	if !ok {
		return appendDecomposed(dst, r)
	}
	start := 0
	if i > 0 {
		start = int(nfkdEnd[i-1])
	}
	for _, c := range nfkdData[start:nfkdEnd[i]] {
		dst = append(dst, c)
	}
	return dst
}

// cccRange is a range of code points with one canonical combining class.
type cccRange struct {
	lo, hi rune
	ccc    uint8
}

func combiningClass(r rune) uint8 {
	if r < 0x300 {
		return 0
	}
	i := sort.Search(len(cccRanges), func(i int) bool { return cccRanges[i].hi >= r })
	if i < len(cccRanges) && cccRanges[i].lo <= r {
		return cccRanges[i].ccc
	}
	return 0
}

func byCombiningClass(a, b change) int { return int(combiningClass(a.r)) - int(combiningClass(b.r)) }

// StripAccents removes the combining marks (tokenizers' StripAccents normalizer,
// which only strips accents after a decomposition such as NFKD). Unlike the BERT
// normalizer's strip_accents, which keeps spacing marks, it removes every mark:
// Mn, Mc and Me.
type StripAccents struct{}

func (StripAccents) normalize(n *normString) {
	if !containsFunc(string(n.norm), isCombiningMark) {
		return
	}
	n.filter(func(r rune) bool { return !isCombiningMark(r) })
}

// isCombiningMark takes the nonspacing marks from the reference's tables (isMark),
// which predate marks Go knows, and the spacing and enclosing ones from Go's.
func isCombiningMark(r rune) bool {
	return isMark(r) || r >= 0x300 && unicode.In(r, unicode.Mc, unicode.Me)
}

func containsFunc(s string, f func(rune) bool) bool {
	for _, r := range s {
		if f(r) {
			return true
		}
	}
	return false
}

// filter keeps the characters for which keep is true (tokenizers'
// NormalizedString::filter): each kept character is charged with the removed ones
// after it, and those removed before the first kept one are skipped up front.
func (n *normString) filter(keep func(rune) bool) {
	var dest []change
	removed, initial := 0, 0
	for _, r := range string(n.norm) {
		if !keep(r) {
			removed++
			continue
		}
		if len(dest) == 0 {
			initial = removed
		} else {
			dest[len(dest)-1].change = -removed
		}
		dest = append(dest, change{r, 0})
		removed = 0
	}
	if len(dest) > 0 {
		dest[len(dest)-1].change = -removed
	}
	n.transform(0, len(n.norm), dest, initial)
}

// Lowercase lowercases every character (tokenizers' Lowercase normalizer, which
// do_lower_case puts after StripAccents); U+0130 becomes two characters, as in Rust.
type Lowercase struct{}

func (Lowercase) normalize(n *normString) {
	var dest []change
	var buf [2]rune
	modified := false
	for _, r := range string(n.norm) {
		l := appendLower(buf[:0], r)
		for i, c := range l {
			dest = append(dest, change{c, min(i, 1)})
		}
		modified = modified || len(l) != 1 || l[0] != r
	}
	if modified {
		n.transform(0, len(n.norm), dest, 0)
	}
}
