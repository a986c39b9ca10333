package tokenizer

import "unicode/utf8"

// PrependScheme says where Metaspace adds a replacement character before a piece.
type PrependScheme uint8

const (
	PrependAlways PrependScheme = iota // before every piece
	PrependFirst                       // before the piece at the start of the text
	PrependNever
)

// Metaspace is SentencePiece's pre-tokenizer: spaces become the replacement character
// (▁), one is prepended per PrependScheme, and with Split the text is cut before each.
type Metaspace struct {
	Replacement rune
	Prepend     PrependScheme
	Split       bool
}

func (m Metaspace) preTokenize(pieces []*normString) []*normString {
	out := make([]*normString, 0, len(pieces))
	rep := string(m.Replacement)
	for _, p := range pieces {
		var spaces []span
		for i, c := range p.norm {
			if c == ' ' {
				spaces = append(spaces, span{i, i + 1})
			}
		}
		p.replaceAll(spaces, rep)
		first, _ := utf8.DecodeRune(p.norm)
		if first != m.Replacement && (m.Prepend == PrependAlways || m.Prepend == PrependFirst && p.startsText()) {
			p.prepend(rep)
		}
		if m.Split {
			out = p.split(runeSegments(p.norm, func(r rune) bool { return r == m.Replacement }), splitMergedWithNext, out)
		} else if len(p.norm) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// startsText reports whether the piece begins at the start of the original text
// (tokenizers' offsets_original().0 == 0).
func (n *normString) startsText() bool { return n.base == 0 }

// WhitespaceSplit splits on whitespace, dropping it.
type WhitespaceSplit struct{}

func (WhitespaceSplit) preTokenize(pieces []*normString) []*normString {
	out := make([]*normString, 0, len(pieces))
	for _, p := range pieces {
		out = p.split(runeSegments(p.norm, isWhiteSpace), splitRemoved, out)
	}
	return out
}
