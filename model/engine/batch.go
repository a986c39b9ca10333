package engine

import (
	"slices"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/bert"
	"github.com/wasmbert/wasmbert/model/pooling"
)

// Batches hold at most maxBatch sequences and, unless EmbedOptions says
// otherwise, maxBatchTokens padded tokens: enough rows for the GEMM to run
// at full speed, small enough that the workspace of a browser tab stays a
// few tens of MB.
const (
	maxBatch       = 32
	maxBatchTokens = 4096
)

// batches groups sequences (indices into seqs) by length so that padding
// stays small: sorted by length, a batch closes when the next sequence
// would pad the batch's shortest by more than a quarter plus 8 tokens, or
// take it past maxTokens padded tokens. A sequence longer than maxTokens
// is a batch of its own.
func batches(seqs []sequence, maxTokens int) [][]int {
	var out [][]int
	var cur []int
	for _, i := range byLength(seqs) {
		if len(cur) > 0 {
			shortest, n := len(seqs[cur[0]].ids), len(seqs[i].ids)
			if len(cur) == maxBatch || (len(cur)+1)*n > maxTokens || n > shortest+shortest/4+8 {
				out = append(out, cur)
				cur = nil
			}
		}
		cur = append(cur, i)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// byLength returns the indices of seqs ordered by length, equal lengths in
// input order: slices.SortStableFunc's order, by a counting sort, which is
// linear and keeps the stable merge sort (6 kB) out of the engine's wasm.
func byLength(seqs []sequence) []int {
	longest := 0
	for _, s := range seqs {
		longest = max(longest, len(s.ids))
	}
	next := make([]int, longest+1) // the first position of each length in the result
	for _, s := range seqs {
		if n := len(s.ids); n < longest {
			next[n+1]++
		}
	}
	for n := 1; n <= longest; n++ {
		next[n] += next[n-1]
	}
	order := make([]int, len(seqs))
	for i, s := range seqs {
		order[next[len(s.ids)]] = i
		next[len(s.ids)]++
	}
	return order
}

// forwardFunc runs the encoder over one batch in a workspace of
// e.workspaces: encoder.forward, or a part of a split forward.
type forwardFunc func(ws any, in bert.Input) (bert.Output, error)

// run encodes all sequences batch by batch with forward and pools them into out.
func (e *Engine) run(seqs []sequence, s *settings, out []Embedding, forward forwardFunc) error {
	ws := e.workspaces.get()
	defer e.workspaces.put(ws)

	h := e.info.Dim
	dim := s.layer.Dim(h)
	allHidden := !s.layer.IsLast(e.info.Layers)
	sums := make([][]float64, len(out)) // chunk accumulators
	weights := make([]float64, len(out))
	var ids, mask, types []int32
	for _, batch := range batches(seqs, s.maxTokens) {
		seqLen := len(seqs[batch[len(batch)-1]].ids)
		n := len(batch) * seqLen
		ids, mask = slices.Grow(ids[:0], n)[:n], slices.Grow(mask[:0], n)[:n]
		clear(ids)
		clear(mask)
		typed := false // nil type ids are all 0, as every BERT-family text is
		for b, si := range batch {
			copy(ids[b*seqLen:], seqs[si].ids)
			for j := range seqs[si].ids {
				mask[b*seqLen+j] = 1
			}
			typed = typed || slices.ContainsFunc(seqs[si].types, func(t int32) bool { return t != 0 })
		}
		in := bert.Input{IDs: ids, Mask: mask, Batch: len(batch), SeqLen: seqLen, AllHidden: allHidden}
		if typed {
			types = slices.Grow(types[:0], n)[:n]
			clear(types)
			for b, si := range batch {
				copy(types[b*seqLen:], seqs[si].types)
			}
			in.TypeIDs = types
		}
		res, err := forward(ws, in)
		if err != nil {
			return err
		}
		hidden := res.Last
		if allHidden {
			if hidden, err = s.layer.Select(res.All, n, h); err != nil {
				return err
			}
		}
		for b, si := range batch {
			sq := &seqs[si]
			rows := hidden[b*seqLen*dim : (b*seqLen+len(sq.ids))*dim]
			v := make([]float32, dim)
			if err := pooling.Pool(v, s.mode, rows, nil, len(sq.ids), dim); err != nil {
				return err
			}
			if s.normalize {
				pooling.Normalize(v)
			}
			emb := &out[sq.text]
			if emb.Chunks == 1 {
				emb.Vector = v
				if err := tokenVectors(emb, sq, rows, dim, s); err != nil {
					return err
				}
				continue
			}
			if sums[sq.text] == nil {
				sums[sq.text] = make([]float64, dim)
			}
			for k, x := range v {
				sums[sq.text][k] += sq.weight * float64(x)
			}
			weights[sq.text] += sq.weight
		}
	}
	// A chunked text is the token-weighted mean of its chunks' vectors.
	for i, sum := range sums {
		if sum == nil {
			continue
		}
		v := make([]float32, dim)
		for k, x := range sum {
			v[k] = float32(x / weights[i])
		}
		if s.normalize {
			pooling.Normalize(v)
		}
		out[i].Vector = v
	}
	return nil
}

// tokenVectors fills the token and word vectors of an unchunked text.
func tokenVectors(emb *Embedding, sq *sequence, rows []float32, dim int, s *settings) error {
	enc := sq.enc
	if s.tokens {
		emb.Tokens = make([]TokenVector, len(sq.ids))
		for t := range emb.Tokens {
			emb.Tokens[t] = TokenVector{
				Token: enc.Tokens[t], ID: enc.IDs[t],
				Start: enc.Offsets[t].ByteStart, End: enc.Offsets[t].ByteEnd,
				Vector: append([]float32(nil), rows[t*dim:(t+1)*dim]...),
			}
		}
	}
	if s.words == "" {
		return nil
	}
	words, err := pooling.Words(rows, enc.WordIDs, dim, s.words)
	if err != nil {
		return errfmt.Errorf("word vectors: %w", err)
	}
	for _, w := range words {
		first, last := enc.Offsets[w.Tokens[0]], enc.Offsets[w.Tokens[len(w.Tokens)-1]]
		emb.Words = append(emb.Words, WordVector{Start: first.ByteStart, End: last.ByteEnd, Vector: w.Vector})
	}
	return nil
}
