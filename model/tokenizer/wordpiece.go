package tokenizer

import "unicode/utf8"

// ContinuingSubwordPrefix prefixes every word piece but the first: BERT's
// "##", the only one the tokenizer supports.
const ContinuingSubwordPrefix = "##"

// sequence collects the tokens of one input text before special tokens are added.
type sequence struct {
	ids        []int32
	start, end []int // byte offsets in the original text
	words      []int
}

func (s *sequence) add(id int32, start, end, word int) {
	s.ids = append(s.ids, id)
	s.start = append(s.start, start)
	s.end = append(s.end, end)
	s.words = append(s.words, word)
}

func (s *sequence) reset() { s.truncate(0) }

func (s *sequence) truncate(n int) {
	if n < len(s.ids) {
		s.ids, s.start, s.end, s.words = s.ids[:n], s.start[:n], s.end[:n], s.words[:n]
	}
}

// wordPiece appends the pieces of one word: at each position the longest vocabulary
// entry, pieces after the first looked up with the "##" prefix. Pieces end on character
// boundaries only. A word that cannot be split entirely, or is longer than
// MaxInputCharsPerWord characters, becomes one unknown token.
func (t *Tokenizer) wordPiece(out *sequence, sc *scratch, word []normRune, wordID int) {
	n := len(word)
	if n > t.cfg.MaxInputCharsPerWord {
		out.add(t.unk, word[0].start, word[n-1].end, wordID)
		return
	}
	sc.word, sc.pos = sc.word[:0], sc.pos[:0]
	for _, c := range word {
		sc.pos = append(sc.pos, len(sc.word))
		sc.word = utf8.AppendRune(sc.word, c.r)
	}
	sc.pos = append(sc.pos, len(sc.word))
	first := len(out.ids)
	for a := 0; a < n; {
		b := n
		for ; b > a; b-- {
			piece := sc.word[sc.pos[a]:sc.pos[b]]
			if a > 0 {
				sc.key = append(append(sc.key[:0], ContinuingSubwordPrefix...), piece...)
				piece = sc.key
			}
			// The string conversion in a map index does not allocate.
			if id, ok := t.vocab[string(piece)]; ok {
				out.add(id, word[a].start, word[b-1].end, wordID)
				break
			}
		}
		if b == a {
			out.truncate(first)
			out.add(t.unk, word[0].start, word[n-1].end, wordID)
			return
		}
		a = b
	}
}

// tokenize appends the tokens of normalized text: words are split at whitespace and
// around each punctuation character. It returns the next word index.
func (t *Tokenizer) tokenize(out *sequence, sc *scratch, text []normRune, wordID int) int {
	for i := 0; i < len(text); {
		c := text[i].r
		switch {
		case isSpace(c):
			i++
		case isPunct(c):
			t.wordPiece(out, sc, text[i:i+1], wordID)
			wordID++
			i++
		default:
			j := i + 1
			for j < len(text) && !isSpace(text[j].r) && !isPunct(text[j].r) {
				j++
			}
			t.wordPiece(out, sc, text[i:j], wordID)
			wordID++
			i = j
		}
	}
	return wordID
}
