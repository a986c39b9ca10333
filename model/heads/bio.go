package heads

import (
	"fmt"
	"strings"
)

// Token is one subword token of a text: its embedding, its byte offsets in
// the text and the index of the word it belongs to (negative for special
// tokens such as [CLS] and [SEP], which carry no tag).
type Token struct {
	Vector     []float32
	Start, End int
	Word       int
}

// Span is a labelled byte range [Start, End) of a text.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label"`
}

// Entity is a span found by a tagger, with its text and the mean
// probability of the tags that formed it.
type Entity struct {
	Span
	Text  string  `json:"text"`
	Score float32 `json:"score"`
}

// TokenTags converts entity spans to one BIO tag per token: B- on the first
// token a span touches, I- on the others, O outside spans and "" (ignored
// in training) on special tokens.
func TokenTags(tokens []Token, spans []Span) ([]string, error) {
	for i, s := range spans {
		if s.Start < 0 || s.End <= s.Start {
			return nil, fmt.Errorf("span %d [%d,%d) is empty or negative", i, s.Start, s.End)
		}
		if s.Label == "" || s.Label == "O" || strings.HasPrefix(s.Label, "B-") || strings.HasPrefix(s.Label, "I-") {
			return nil, fmt.Errorf("span %d: label %q must be a bare entity type such as PER", i, s.Label)
		}
		if i > 0 && s.Start < spans[i-1].End {
			return nil, fmt.Errorf("span %d [%d,%d) overlaps or precedes span %d", i, s.Start, s.End, i-1)
		}
	}
	tags := make([]string, len(tokens))
	next := 0 // spans are sorted, so one pass suffices
	opened := -1
	for i, t := range tokens {
		if t.Word < 0 {
			continue
		}
		for next < len(spans) && spans[next].End <= t.Start {
			next++
		}
		if next < len(spans) && t.End > spans[next].Start {
			if opened == next {
				tags[i] = "I-" + spans[next].Label
			} else {
				tags[i] = "B-" + spans[next].Label
				opened = next
			}
			continue
		}
		tags[i] = "O"
	}
	return tags, nil
}

// checkBIO reports whether tag is O, B-TYPE or I-TYPE.
func checkBIO(tag string) error {
	if tag == "O" {
		return nil
	}
	if (strings.HasPrefix(tag, "B-") || strings.HasPrefix(tag, "I-")) && len(tag) > 2 {
		return nil
	}
	return fmt.Errorf("tag %q is not O, B-TYPE or I-TYPE", tag)
}

// mergeEntities turns per-token tags into word-level entities. A word takes
// the tag of its first subword; an I- tag that does not continue an entity
// of the same type starts a new one, as seqeval does.
func mergeEntities(text string, tokens []Token, tags []string, scores []float32) []Entity {
	type word struct {
		start, end int
		tag        string
		score      float32
	}
	var words []word
	last := -1
	for i, t := range tokens {
		if t.Word < 0 {
			continue
		}
		if t.Word == last && len(words) > 0 {
			words[len(words)-1].end = max(words[len(words)-1].end, t.End)
			continue
		}
		last = t.Word
		words = append(words, word{start: t.Start, end: t.End, tag: tags[i], score: scores[i]})
	}
	var out []Entity
	var cur *Entity
	n := 0
	flush := func() {
		if cur != nil {
			cur.Score /= float32(n)
			cur.Text = text[cur.Start:cur.End]
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, w := range words {
		kind, typ, _ := strings.Cut(w.tag, "-")
		if kind == "I" && cur != nil && cur.Label == typ {
			cur.End = w.end
			cur.Score += w.score
			n++
			continue
		}
		flush()
		if kind == "B" || kind == "I" {
			cur = &Entity{Span: Span{Start: w.start, End: w.end, Label: typ}, Score: w.score}
			n = 1
		}
	}
	flush()
	return out
}
