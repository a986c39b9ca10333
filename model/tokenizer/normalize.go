package tokenizer

// normRune is one character of the normalized text and the span of original bytes it
// came from; characters produced from one original character share its span.
type normRune struct {
	r          rune
	start, end int
}

// normalize appends the normalized form of text, whose first byte is at offset base of
// the original input, to dst. It applies BertNormalizer's steps in the reference's order:
// clean text, pad CJK ideographs, strip accents (NFD, drop nonspacing marks), lowercase.
func (t *Tokenizer) normalize(dst []normRune, sc *scratch, text string, base int) []normRune {
	tmp := sc.tmp
	for i := 0; i < len(text); {
		r, n := decodeRune(text[i:])
		start, end := base+i, base+i+n
		i += n
		if !t.cfg.KeepControlChars {
			if isControl(r) {
				continue
			}
			if isSpace(r) {
				r = ' '
			}
		}
		if r < 0x80 {
			if t.cfg.DoLowerCase && r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			dst = append(dst, normRune{r, start, end})
			continue
		}
		cjk := t.cfg.TokenizeChineseChars && isCJK(r)
		if cjk {
			dst = append(dst, normRune{' ', start, end})
		}
		tmp = append(tmp[:0], r)
		if t.stripAccents {
			tmp = appendDecomposed(tmp[:0], r)
			kept := tmp[:0]
			for _, c := range tmp {
				if !isMark(c) {
					kept = append(kept, c)
				}
			}
			tmp = kept
		}
		if t.cfg.DoLowerCase {
			// Lowercasing can lengthen the text (U+0130), so it reads from the tail.
			n := len(tmp)
			for _, c := range tmp[:n] {
				tmp = appendLower(tmp, c)
			}
			tmp = append(tmp[:0], tmp[n:]...)
		}
		for _, c := range tmp {
			dst = append(dst, normRune{c, start, end})
		}
		if cjk {
			dst = append(dst, normRune{' ', start, end})
		}
	}
	sc.tmp = tmp
	return dst
}
