package tokenizer

import (
	"encoding/binary"
	"errors"
	"unicode/utf8"
)

// Precompiled is SentencePiece's normalizer as a charsmap (a double-array trie of byte
// sequences and the NUL-terminated strings they map to), applied as tokenizers applies
// it: grapheme by grapheme, a grapheme shorter than 6 bytes replaced as a whole by the
// mapping of its shortest mapped prefix, otherwise character by character.
type Precompiled struct {
	trie []uint32
	// normalized holds the replacement strings, each ending with a NUL byte.
	normalized []byte
}

// NewPrecompiled parses a precompiled_charsmap: a little-endian uint32 trie size in bytes,
// the trie, then the replacement strings.
func NewPrecompiled(charsmap []byte) (*Precompiled, error) {
	if len(charsmap) < 4 {
		return nil, errors.New("precompiled charsmap: too short")
	}
	size := binary.LittleEndian.Uint32(charsmap)
	if size%4 != 0 || uint64(size) > uint64(len(charsmap)-4) || size == 0 {
		return nil, errors.New("precompiled charsmap: bad trie size")
	}
	p := &Precompiled{trie: make([]uint32, size/4), normalized: charsmap[4+size:]}
	for i := range p.trie {
		p.trie[i] = binary.LittleEndian.Uint32(charsmap[4+4*i:])
	}
	if !utf8.Valid(p.normalized) {
		return nil, errors.New("precompiled charsmap: replacement strings are not UTF-8")
	}
	return p, nil
}

// Double-array units, as in SentencePiece's darts.
func unitHasLeaf(u uint32) bool  { return u>>8&1 == 1 }
func unitValue(u uint32) uint32  { return u & (1<<31 - 1) }
func unitLabel(u uint32) uint32  { return u & (1<<31 | 0xFF) }
func unitOffset(u uint32) uint32 { return u >> 10 << (u & (1 << 9) >> 6) }

// shortestMatch returns the replacement of the shortest prefix of key in the trie.
func (p *Precompiled) shortestMatch(key string) (string, bool) {
	pos := unitOffset(p.trie[0])
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c == 0 {
			break
		}
		pos ^= uint32(c)
		if int(pos) >= len(p.trie) {
			return "", false
		}
		u := p.trie[pos]
		if unitLabel(u) != uint32(c) {
			return "", false
		}
		pos ^= unitOffset(u)
		if int(pos) >= len(p.trie) {
			return "", false
		}
		if unitHasLeaf(u) {
			return p.replacement(int(unitValue(p.trie[pos])))
		}
	}
	return "", false
}

func (p *Precompiled) replacement(i int) (string, bool) {
	if i >= len(p.normalized) {
		return "", true
	}
	end := i
	for end < len(p.normalized) && p.normalized[end] != 0 {
		end++
	}
	s := p.normalized[i:end]
	// A replacement cut in the middle of a character by a bad index cannot be emitted
	// as characters; the reference fails there too.
	if !utf8.Valid(s) {
		return "", false
	}
	return string(s), true
}

// normalize rewrites the whole piece.
func (p *Precompiled) normalize(n *normString) {
	s := string(n.norm)
	var dest []change
	modified := false
	emit := func(from, to string) {
		modified = true
		k := len(dest)
		for _, r := range to {
			dest = append(dest, change{r, 0})
		}
		// As the reference records it: extra characters are inserted ones at the
		// end, and removed ones are charged to the last character emitted so far,
		// even one of an earlier grapheme.
		switch diff := utf8.RuneCountInString(to) - utf8.RuneCountInString(from); {
		case diff > 0:
			for i := len(dest) - diff; i < len(dest); i++ {
				if i >= k {
					dest[i].change = 1
				}
			}
		case diff < 0 && len(dest) > 0:
			dest[len(dest)-1].change += diff
		}
	}
	for g := 0; g < len(s); {
		size := graphemeLen(s[g:])
		gr := s[g : g+size]
		g += size
		if len(gr) < 6 {
			if to, ok := p.shortestMatch(gr); ok {
				emit(gr, to)
				continue
			}
		}
		for i := 0; i < len(gr); {
			r, rs := utf8.DecodeRuneInString(gr[i:])
			part := gr[i : i+rs]
			i += rs
			if to, ok := p.shortestMatch(part); ok {
				emit(part, to)
			} else {
				dest = append(dest, change{r, 0})
			}
		}
	}
	if modified {
		n.transform(0, len(n.norm), dest, 0)
	}
}
