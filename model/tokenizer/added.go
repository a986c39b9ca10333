package tokenizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AddedToken is a token of tokenizer.json's added_tokens, matched in the text before
// the model sees it (tokenizers' AddedToken).
type AddedToken struct {
	ID      int32  `json:"id"`
	Content string `json:"content"`
	// Special tokens are the ones the post-processor adds; they match like the others.
	Special bool `json:"special,omitempty"`
	// SingleWord matches only where no word character is next to the token.
	SingleWord bool `json:"single_word,omitempty"`
	// LStrip and RStrip make the token take in the whitespace on its left or right.
	LStrip bool `json:"lstrip,omitempty"`
	RStrip bool `json:"rstrip,omitempty"`
	// Normalized tokens are matched in the normalized text, the others in the original.
	Normalized bool `json:"normalized,omitempty"`
}

// addedMatcher finds added tokens leftmost-longest, as tokenizers' AhoCorasick set.
type addedMatcher struct {
	tokens   []AddedToken
	patterns []string // what is matched: the content, normalized for normalized tokens
}

func (m *addedMatcher) empty() bool { return len(m.tokens) == 0 }

// find returns the leftmost-longest match in s at or after from: the pattern index and
// its byte range, or -1.
func (m *addedMatcher) find(s string, from int) (int, int, int) {
	for i := from; i < len(s); i++ {
		best := -1
		for k, p := range m.patterns {
			if p != "" && strings.HasPrefix(s[i:], p) && (best < 0 || len(p) > len(m.patterns[best])) {
				best = k
			}
		}
		if best >= 0 {
			return best, i, i + len(m.patterns[best])
		}
	}
	return -1, 0, 0
}

// split cuts each piece without tokens at the added tokens it contains
// (tokenizers' AddedVocabulary::find_matches): the matches become pieces with their
// token, the text between them pieces of their own.
func (m *addedMatcher) split(in []piece) []piece {
	if m.empty() {
		return in
	}
	out := make([]piece, 0, len(in))
	for _, p := range in {
		if p.tokens != nil {
			out = append(out, p)
			continue
		}
		s := string(p.ns.norm)
		last := 0
		for at := 0; at < len(s); {
			k, start, stop := m.find(s, at)
			if k < 0 {
				break
			}
			at = stop
			t := m.tokens[k]
			if t.SingleWord && (start > 0 && endsWithWord(s[:start]) || stop < len(s) && startsWithWord(s[stop:])) {
				continue
			}
			if t.LStrip {
				start = max(len(strings.TrimRightFunc(s[:start], isWhiteSpace)), last)
			}
			if t.RStrip {
				stop += len(s[stop:]) - len(strings.TrimLeftFunc(s[stop:], isWhiteSpace))
				at = stop
			}
			if last < start {
				out = append(out, piece{ns: p.ns.slice(last, start)})
			}
			tok := p.ns.slice(start, stop)
			out = append(out, piece{ns: tok, tokens: []token{{id: t.ID, value: string(tok.norm), off: span{0, len(tok.norm)}}}})
			last = stop
		}
		if last < len(s) {
			out = append(out, piece{ns: p.ns.slice(last, len(s))})
		}
	}
	return out
}

// isWordChar is \w of the reference's regular expressions.
func isWordChar(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || r == 0x200C || r == 0x200D ||
		unicode.In(r, unicode.M, unicode.Pc, unicode.Nl, unicode.Other_Alphabetic)
}

func endsWithWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWordChar(r)
}

func startsWithWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordChar(r)
}
