package tokenizer

import (
	"strings"
	"unicode/utf8"
)

// Normalizer rewrites text before it is split, keeping track of offsets. Precompiled,
// Replace and Strip are the ones SentencePiece conversions use.
type Normalizer interface {
	normalize(n *normString)
}

// Replace replaces every match of a pattern (tokenizers' Replace normalizer).
type Replace struct {
	literal string
	// For a repetition pattern c{min,}: runs of at least min characters c.
	rep     rune
	repMin  int
	content string
}

// NewReplace replaces the string pattern with content.
func NewReplace(pattern, content string) (*Replace, error) {
	if pattern == "" {
		return nil, errorf("replace: empty pattern")
	}
	return &Replace{literal: pattern, content: content}, nil
}

// NewReplaceRegex replaces matches of a regular expression with content. Only the
// repetitions of one character that tokenizer files use are supported: "c{n,}", "c+".
func NewReplaceRegex(pattern, content string) (*Replace, error) {
	r, size := utf8.DecodeRuneInString(pattern)
	rest := pattern[size:]
	n := 0
	switch {
	case size == 0 || strings.ContainsRune(`\.[]()*+?{}|^$`, r):
	case rest == "+":
		n = 1
	case strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, ",}"):
		for _, c := range rest[1 : len(rest)-2] {
			if c < '0' || c > '9' || n > 1000 {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
		}
	}
	if n < 1 {
		return nil, errorf("replace: unsupported regular expression %q (only c{n,} and c+ are)", pattern)
	}
	return &Replace{rep: r, repMin: n, content: content}, nil
}

// matches returns the non-overlapping matches in s, left to right.
func (p *Replace) matches(s string) []span {
	var out []span
	if p.literal != "" {
		for i := 0; ; {
			k := strings.Index(s[i:], p.literal)
			if k < 0 {
				return out
			}
			out = append(out, span{i + k, i + k + len(p.literal)})
			i += k + len(p.literal)
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != p.rep {
			i += size
			continue
		}
		j, count := i, 0
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if r != p.rep {
				break
			}
			j += size
			count++
		}
		if count >= p.repMin {
			out = append(out, span{i, j})
		}
		i = j
	}
	return out
}

func (p *Replace) normalize(n *normString) {
	n.replaceAll(p.matches(string(n.norm)), p.content)
}

// Strip removes whitespace at the start (Left) or end (Right).
type Strip struct{ Left, Right bool }

func (p Strip) normalize(n *normString) {
	s := string(n.norm)
	lo, hi := 0, len(s)
	if p.Right {
		hi = len(strings.TrimRightFunc(s, isWhiteSpace))
	}
	if p.Left {
		lo = hi - len(strings.TrimLeftFunc(s[:hi], isWhiteSpace))
	}
	if lo == 0 && hi == len(s) {
		return
	}
	var dest []change
	for _, r := range s[lo:hi] {
		dest = append(dest, change{r, 0})
	}
	n.transform(0, len(n.norm), dest, utf8.RuneCountInString(s[:lo]))
}
