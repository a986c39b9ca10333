package bert

import "github.com/wasmbert/wasmbert/model/kernel"

// Workspace holds the activation buffers of Forward. It grows to the
// largest batch it has run and is reused after that, so steady-state
// forwards allocate nothing. A Workspace is not safe for concurrent use; give
// each goroutine its own. The zero value is ready to use.
type Workspace struct {
	hidden [][]float32 // [B·S·H] each: one, or L+1 when all hidden states are kept
	attn   []float32   // [B·S·H] attention block output
	ctx    []float32   // [B·S·H] attention context (heads concatenated)
	qkv    []float32   // [B·S·3H]
	inter  []float32   // [B·S·I]
	scores []float32   // kernel.Attention's scratch: one head's packed K and V, 4 rows of scores
	mask   []float32   // [S] one sequence's additive key mask
}

// grow makes sure the buffers fit tokens tokens of a model with cfg and
// nHidden hidden-state buffers.
func (w *Workspace) grow(cfg Config, tokens, seqLen, nHidden int) {
	h := cfg.HiddenSize
	for len(w.hidden) < nHidden {
		w.hidden = append(w.hidden, nil)
	}
	for i := range w.hidden[:nHidden] {
		w.hidden[i] = fit(w.hidden[i], tokens*h)
	}
	w.attn = fit(w.attn, tokens*h)
	w.ctx = fit(w.ctx, tokens*h)
	w.qkv = fit(w.qkv, tokens*3*h)
	w.inter = fit(w.inter, tokens*cfg.IntermediateSize)
	// Sized for kernel.Attention, which otherwise allocates its scratch on
	// every call, once per sequence and layer.
	w.scores = fit(w.scores, kernel.AttentionScratch(seqLen, h/cfg.NumAttentionHeads))
	w.mask = fit(w.mask, seqLen)
}

// fit returns buf resliced to n, reallocated only when too small.
func fit(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
