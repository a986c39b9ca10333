package tokenizer

import (
	"strconv"
	"unicode/utf8"

	"github.com/wasmbert/wasmbert/internal/freelist"
)

// BPE is a byte-pair-encoding model (tokenizers' BPE without dropout).
type BPE struct {
	vocab map[string]int32
	// ranks holds the merges: the pair of token ids to the merge's rank and result.
	ranks                 map[[2]int32]bpeMerge
	unk                   int32 // -1 without an unknown token
	fuseUnk, byteFallback bool
	ignoreMerges          bool
	prefix, suffix        string
	scratch               freelist.List[bpeScratch]
}

// bpeScratch holds the buffers of one word's merging, reused across words.
type bpeScratch struct {
	syms       []bpeSymbol
	prev, next []int
	queue      mergeQueue
}

type bpeMerge struct{ rank, id int32 }

// BPEConfig is a BPE model as tokenizer.json describes it.
type BPEConfig struct {
	Vocab map[string]int32
	// Merges are the pairs of tokens to merge, highest priority first.
	Merges                  [][2]string
	UnkToken                string // "" for none
	FuseUnk, ByteFallback   bool
	IgnoreMerges            bool
	ContinuingSubwordPrefix string
	EndOfWordSuffix         string
}

// NewBPE checks the merges against the vocabulary and builds the model.
func NewBPE(c BPEConfig) (*BPE, error) {
	m := &BPE{vocab: c.Vocab, ranks: make(map[[2]int32]bpeMerge, len(c.Merges)), unk: -1,
		fuseUnk: c.FuseUnk, byteFallback: c.ByteFallback, ignoreMerges: c.IgnoreMerges,
		prefix: c.ContinuingSubwordPrefix, suffix: c.EndOfWordSuffix}
	if c.UnkToken != "" {
		id, ok := c.Vocab[c.UnkToken]
		if !ok {
			return nil, errorf("bpe: unk_token %q is not in the vocabulary", c.UnkToken)
		}
		m.unk = id
	}
	prefixLen := len(c.ContinuingSubwordPrefix)
	for i, p := range c.Merges {
		a, okA := c.Vocab[p[0]]
		b, okB := c.Vocab[p[1]]
		if !okA || !okB {
			return nil, errorf("bpe: merges[%d] (%q %q): token not in the vocabulary", i, p[0], p[1])
		}
		merged := p[0] + p[1]
		if prefixLen > 0 && len(p[1]) >= prefixLen && p[1][:prefixLen] == c.ContinuingSubwordPrefix {
			merged = p[0] + p[1][prefixLen:]
		}
		id, ok := c.Vocab[merged]
		if !ok {
			return nil, errorf("bpe: merges[%d] (%q %q): result %q not in the vocabulary", i, p[0], p[1], merged)
		}
		if _, dup := m.ranks[[2]int32{a, b}]; !dup {
			m.ranks[[2]int32{a, b}] = bpeMerge{int32(i), id}
		}
	}
	return m, nil
}

// bpeSymbol is a token of a word being merged, with its length in bytes of the word.
type bpeSymbol struct {
	id   int32
	size int
}

// tokenize splits one piece into tokens with offsets into it.
func (m *BPE) tokenize(s string, out []token, tokens []string) []token {
	if s == "" {
		return out
	}
	if m.ignoreMerges {
		if id, ok := m.vocab[s]; ok {
			return append(out, token{id: id, value: tokens[id], off: span{0, len(s)}})
		}
	}
	sc := m.scratch.Get()
	defer m.scratch.Put(sc)
	syms := sc.syms[:0]
	unk := bpeSymbol{id: -1}
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		key := s[i : i+size]
		if i > 0 && m.prefix != "" {
			key = m.prefix + key
		}
		if i+size == len(s) && m.suffix != "" {
			key += m.suffix
		}
		i += size
		if id, ok := m.vocab[key]; ok {
			if unk.id >= 0 {
				syms = append(syms, unk)
				unk.id = -1
			}
			syms = append(syms, bpeSymbol{id, size})
			continue
		}
		if m.byteFallback {
			if ids, ok := m.byteTokens(key); ok {
				for _, id := range ids {
					syms = append(syms, bpeSymbol{id, 1})
				}
				continue
			}
		}
		switch {
		case m.unk < 0:
			// Without an unknown token the reference drops the character.
		case unk.id >= 0 && m.fuseUnk:
			unk.size += size
		case unk.id >= 0:
			syms = append(syms, unk)
			unk = bpeSymbol{m.unk, size}
		default:
			unk = bpeSymbol{m.unk, size}
		}
	}
	if unk.id >= 0 {
		syms = append(syms, unk)
	}
	sc.syms = syms
	syms = m.merge(syms, sc)
	off := 0
	for _, sy := range syms {
		out = append(out, token{id: sy.id, value: tokens[sy.id], off: span{off, off + sy.size}})
		off += sy.size
	}
	return out
}

// byteTokens returns the <0xXX> tokens of the bytes of s, if all are in the vocabulary.
// Each stands for one byte, so the symbols are 1 byte long like the reference's.
func (m *BPE) byteTokens(s string) ([]int32, bool) {
	ids := make([]int32, 0, len(s))
	for i := 0; i < len(s); i++ {
		id, ok := m.vocab[byteToken(s[i])]
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// byteToken is the name of the byte-fallback token of b, <0xXX>.
func byteToken(b byte) string {
	h := strconv.FormatUint(uint64(b)|0x100, 16)[1:]
	return "<0x" + toUpperHex(h) + ">"
}

func toUpperHex(h string) string {
	b := []byte(h)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// merge applies the merges as the reference's priority queue does: the pair of lowest
// rank first, the leftmost among equal ranks, in O(n log n) for long words.
func (m *BPE) merge(syms []bpeSymbol, sc *bpeScratch) []bpeSymbol {
	if len(syms) < 2 {
		return syms
	}
	prev, next := sc.prev[:0], sc.next[:0]
	for i := range syms {
		prev, next = append(prev, i-1), append(next, i+1)
	}
	next[len(syms)-1] = -1
	sc.prev, sc.next = prev, next
	q := &sc.queue
	*q = (*q)[:0]
	push := func(pos int) {
		if n := next[pos]; n >= 0 {
			if mg, ok := m.ranks[[2]int32{syms[pos].id, syms[n].id}]; ok {
				q.push(queuedMerge{mg, pos})
			}
		}
	}
	for i := range syms {
		push(i)
	}
	for len(*q) > 0 {
		top := q.pop()
		pos, right := top.pos, next[top.pos]
		// Entries whose symbols have changed since they were queued are stale.
		if syms[pos].size == 0 || right < 0 {
			continue
		}
		if mg, ok := m.ranks[[2]int32{syms[pos].id, syms[right].id}]; !ok || mg.id != top.id {
			continue
		}
		syms[pos] = bpeSymbol{top.id, syms[pos].size + syms[right].size}
		syms[right].size = 0
		next[pos] = next[right]
		if n := next[right]; n >= 0 {
			prev[n] = pos
		}
		if p := prev[pos]; p >= 0 {
			push(p)
		}
		push(pos)
	}
	out := syms[:0]
	for _, s := range syms {
		if s.size != 0 {
			out = append(out, s)
		}
	}
	return out
}

// queuedMerge is a merge waiting in the queue, of the symbol at pos with the next one.
type queuedMerge struct {
	bpeMerge
	pos int
}

func (a queuedMerge) before(b queuedMerge) bool {
	return a.rank < b.rank || a.rank == b.rank && a.pos < b.pos
}

// mergeQueue is a binary min-heap of merges by rank, then position.
type mergeQueue []queuedMerge

func (q *mergeQueue) push(x queuedMerge) {
	h := append(*q, x)
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h[i].before(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	*q = h
}

func (q *mergeQueue) pop() queuedMerge {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].before(h[m]) {
			m = l
		}
		if r < len(h) && h[r].before(h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}
