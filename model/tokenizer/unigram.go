package tokenizer

import (
	"math"
	"unicode/utf8"
)

// unkPenalty is how much lower than the lowest piece score an unknown character scores.
const unkPenalty = 10.0

// Unigram is SentencePiece's unigram language model: a text is split into the pieces
// whose scores (log probabilities) add up highest, found by Viterbi over all pieces that
// match at each position (tokenizers' Unigram::encode_optimized).
type Unigram struct {
	ids      map[string]int32
	scores   []float64
	unk      int32
	minScore float64
	maxLen   int // longest piece in bytes
	// byteFallback spells unknown text as <0xXX> byte pieces when they exist.
	byteFallback bool
}

// UnigramConfig is a Unigram model as tokenizer.json describes it.
type UnigramConfig struct {
	Pieces       []string
	Scores       []float64
	UnkID        int
	ByteFallback bool
}

// NewUnigram builds the model; pieces are ids 0 to len(Pieces)-1.
func NewUnigram(c UnigramConfig) (*Unigram, error) {
	if len(c.Pieces) == 0 {
		return nil, errorf("unigram: empty vocabulary")
	}
	if len(c.Pieces) != len(c.Scores) {
		return nil, errorf("unigram: %d pieces but %d scores", len(c.Pieces), len(c.Scores))
	}
	if c.UnkID < 0 || c.UnkID >= len(c.Pieces) {
		return nil, errorf("unigram: unk_id %d out of range [0, %d)", c.UnkID, len(c.Pieces))
	}
	m := &Unigram{ids: make(map[string]int32, len(c.Pieces)), scores: c.Scores, unk: int32(c.UnkID),
		minScore: math.Inf(1), byteFallback: c.ByteFallback}
	for i, p := range c.Pieces {
		if _, dup := m.ids[p]; !dup {
			m.ids[p] = int32(i)
		}
		m.maxLen = max(m.maxLen, len(p))
		m.minScore = min(m.minScore, c.Scores[i])
	}
	return m, nil
}

// unigramNode is the best path ending at a byte position.
type unigramNode struct {
	score float64
	start int // -1 until a path reaches the position
	id    int32
}

func (m *Unigram) tokenize(s string, out []token, tokens []string) []token {
	if s == "" {
		return out
	}
	best := make([]unigramNode, len(s)+1)
	for i := range best {
		best[i].start = -1
	}
	unkScore := m.minScore - unkPenalty
	for start := 0; start < len(s); {
		here := best[start].score
		_, char := utf8.DecodeRuneInString(s[start:])
		single := false
		for end := start + 1; end <= len(s) && end-start <= m.maxLen; end++ {
			id, ok := m.ids[s[start:end]]
			if !ok {
				continue
			}
			if score := m.scores[id] + here; best[end].start < 0 || score > best[end].score {
				best[end] = unigramNode{score, start, id}
			}
			if end-start == char {
				single = true
			}
		}
		if !single {
			end := start + char
			if score := unkScore + here; best[end].start < 0 || score > best[end].score {
				best[end] = unigramNode{score, start, m.unk}
			}
		}
		start += char
	}
	// Walk back from the end, fusing consecutive unknown pieces.
	var spans []span
	for end := len(s); end > 0; {
		n := best[end]
		if n.id == m.unk && len(spans) > 0 && spans[len(spans)-1].s == end && best[spans[len(spans)-1].e].id == m.unk {
			spans[len(spans)-1].s = n.start
		} else {
			spans = append(spans, span{n.start, end})
		}
		end = n.start
	}
	for i := len(spans) - 1; i >= 0; i-- {
		sp := spans[i]
		piece := s[sp.s:sp.e]
		if id, ok := m.ids[piece]; ok {
			out = append(out, token{id: id, value: tokens[id], off: sp})
			continue
		}
		if m.byteFallback {
			if ids, ok := m.byteTokens(piece); ok {
				for _, id := range ids {
					out = append(out, token{id: id, value: tokens[id], off: sp})
				}
				continue
			}
		}
		out = append(out, token{id: m.unk, value: tokens[m.unk], off: sp})
	}
	return out
}

func (m *Unigram) byteTokens(s string) ([]int32, bool) {
	ids := make([]int32, 0, len(s))
	for i := 0; i < len(s); i++ {
		id, ok := m.ids[byteToken(s[i])]
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}
