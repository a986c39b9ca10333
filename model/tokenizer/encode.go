package tokenizer

import "strings"

// Offset locates a token in the text it came from: [ByteStart, ByteEnd) in bytes and
// [CharStart, CharEnd) in characters (code points; see the package comment for invalid
// UTF-8). Special tokens added by Encode have zero offsets. Neither is a JS string index
// (UTF-16 code units): the JS library converts the byte offsets (js/offsets.js).
type Offset struct {
	ByteStart, ByteEnd int
	CharStart, CharEnd int
}

// Encoding is the model input for one text or text pair.
type Encoding struct {
	IDs     []int32
	TypeIDs []int32 // 0 for the first text and its [CLS] [SEP], 1 for the second and its [SEP]
	Mask    []int32 // attention mask: all ones, Encode does not pad
	Tokens  []string
	Offsets []Offset // into the text each token came from
	WordIDs []int    // word index within its text; -1 for added special tokens
	// Truncated reports whether tokens were dropped to fit the maximum length;
	// FullLength is the length, special tokens included, without truncation.
	Truncated  bool
	FullLength int
}

// Encode tokenizes text as [CLS] text [SEP], keeping at most maxLen tokens (special
// tokens included) by dropping tokens from the end. maxLen <= 0 means no limit. Like the
// reference, a maxLen too small to hold the special tokens is ignored.
func (t *Tokenizer) Encode(text string, maxLen int) Encoding {
	sc := t.scratch.Get()
	defer t.scratch.Put(sc)
	a := &sc.a
	a.reset()
	t.encodeText(a, sc, text)
	full := len(a.ids) + 2
	if maxLen >= 2 && full > maxLen {
		a.truncate(maxLen - 2)
	}
	return t.assemble(full, text, a, "", nil)
}

// EncodePair tokenizes a and b as [CLS] a [SEP] b [SEP] with type ids 0 for the first
// part and 1 for the second, truncating longest first to at most maxLen tokens: tokens
// are dropped from the end of the longer text until both fit or they are equally long,
// then from both. maxLen <= 0 means no limit, and as in the reference a maxLen below 3 is
// ignored. Like the transformers tokenizer call, an empty b encodes a alone.
func (t *Tokenizer) EncodePair(a, b string, maxLen int) Encoding {
	if b == "" {
		return t.Encode(a, maxLen)
	}
	sc := t.scratch.Get()
	defer t.scratch.Put(sc)
	sa, sb := &sc.a, &sc.b
	sa.reset()
	sb.reset()
	t.encodeText(sa, sc, a)
	t.encodeText(sb, sc, b)
	full := len(sa.ids) + len(sb.ids) + 3
	if maxLen >= 3 && full > maxLen {
		na, nb := longestFirst(len(sa.ids), len(sb.ids), maxLen-3)
		sa.truncate(na)
		sb.truncate(nb)
	}
	return t.assemble(full, a, sa, b, sb)
}

// longestFirst returns how many tokens of each text to keep so that at most max remain
// in total, as tokenizers' LongestFirst strategy does: the longer text loses tokens
// first, and when both are over half of limit each keeps half.
func longestFirst(n1, n2, limit int) (int, int) {
	if n1+n2 <= limit {
		return n1, n2
	}
	swap := n1 > n2
	if swap {
		n1, n2 = n2, n1
	}
	if n1 > limit {
		n2 = n1
	} else {
		n2 = max(n1, limit-n1)
	}
	if n1+n2 > limit {
		n1 = limit / 2
		n2 = n1 + limit%2
	}
	if swap {
		n1, n2 = n2, n1
	}
	return n1, n2
}

// encodeText appends the tokens of text to out: special tokens found in the text are
// kept whole, the rest is normalized and split into word pieces.
func (t *Tokenizer) encodeText(out *sequence, sc *scratch, text string) {
	word := 0
	rest := 0
	for i := 0; i < len(text); i++ {
		if !t.specialFirst[text[i]] {
			continue
		}
		k := t.matchSpecial(text[i:])
		if k < 0 {
			continue
		}
		word = t.encodePlain(out, sc, text[rest:i], rest, word)
		end := i + len(t.specials[k])
		out.add(t.specialIDs[k], i, end, word)
		word++
		rest = end
		i = end - 1
	}
	t.encodePlain(out, sc, text[rest:], rest, word)
}

func (t *Tokenizer) encodePlain(out *sequence, sc *scratch, text string, base, word int) int {
	if text == "" {
		return word
	}
	sc.norm = t.normalize(sc.norm[:0], sc, text, base)
	return t.tokenize(out, sc, sc.norm, word)
}

// matchSpecial returns the index of the longest special token s starts with, or -1.
func (t *Tokenizer) matchSpecial(s string) int {
	best := -1
	for k, sp := range t.specials {
		if strings.HasPrefix(s, sp) && (best < 0 || len(sp) > len(t.specials[best])) {
			best = k
		}
	}
	return best
}

// assemble adds the special tokens and computes character offsets.
func (t *Tokenizer) assemble(full int, a string, sa *sequence, b string, sb *sequence) Encoding {
	n := len(sa.ids) + 2
	if sb != nil {
		n += len(sb.ids) + 1
	}
	e := Encoding{
		IDs:        make([]int32, 0, n),
		TypeIDs:    make([]int32, 0, n),
		Mask:       make([]int32, n),
		Tokens:     make([]string, 0, n),
		Offsets:    make([]Offset, 0, n),
		WordIDs:    make([]int, 0, n),
		Truncated:  full > n,
		FullLength: full,
	}
	for i := range e.Mask {
		e.Mask[i] = 1
	}
	special := func(id, typ int32) {
		e.IDs = append(e.IDs, id)
		e.TypeIDs = append(e.TypeIDs, typ)
		e.Tokens = append(e.Tokens, t.tokens[id])
		e.Offsets = append(e.Offsets, Offset{})
		e.WordIDs = append(e.WordIDs, -1)
	}
	text := func(s *sequence, src string, typ int32) {
		var starts, ends charCounter
		for i, id := range s.ids {
			e.IDs = append(e.IDs, id)
			e.TypeIDs = append(e.TypeIDs, typ)
			e.Tokens = append(e.Tokens, t.tokens[id])
			e.Offsets = append(e.Offsets, Offset{
				ByteStart: s.start[i], ByteEnd: s.end[i],
				CharStart: starts.at(src, s.start[i]), CharEnd: ends.at(src, s.end[i]),
			})
			e.WordIDs = append(e.WordIDs, s.words[i])
		}
	}
	special(t.cls, 0)
	text(sa, a, 0)
	special(t.sep, 0)
	if sb != nil {
		text(sb, b, 1)
		special(t.sep, 1)
	}
	return e
}

// charCounter converts byte offsets into character offsets; the offsets it is given
// must not decrease, so each conversion continues where the last one stopped.
type charCounter struct{ byteOff, chars int }

func (c *charCounter) at(s string, off int) int {
	for c.byteOff < off {
		_, n := decodeRune(s[c.byteOff:])
		c.byteOff += n
		c.chars++
	}
	return c.chars
}
