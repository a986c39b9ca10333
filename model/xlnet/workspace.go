package xlnet

// Workspace holds the activation buffers of Forward. It grows to the largest
// batch it has run and is reused after that, so steady-state forwards
// allocate nothing. A Workspace is not safe for concurrent use; give each
// goroutine its own. The zero value is ready to use.
type Workspace struct {
	hidden [][]float32 // [B·S·D] each: one, or L+1 when all hidden states are kept
	attn   []float32   // [B·S·D] attention block output
	ctx    []float32   // [B·S·inner] attention context, heads concatenated
	qkv    []float32   // [B·S·3·inner]
	inter  []float32   // [B·S·d_inner]
	pos    []float32   // [2S−1, D] encodings of the distances S−1 down to −(S−1)
	kr     []float32   // [2S−1, inner] the layer's projection of pos
	scores []float32   // [S] one query's scores
	q      []float32   // [3·d_head] one query plus each of the three biases
}

func (w *Workspace) grow(c Config, tokens, seqLen, nHidden int) {
	d, inner := c.DModel, c.inner()
	for len(w.hidden) < nHidden {
		w.hidden = append(w.hidden, nil)
	}
	for i := range w.hidden[:nHidden] {
		w.hidden[i] = fit(w.hidden[i], tokens*d)
	}
	w.attn = fit(w.attn, tokens*d)
	w.ctx = fit(w.ctx, tokens*inner)
	w.qkv = fit(w.qkv, tokens*3*inner)
	w.inter = fit(w.inter, tokens*c.DInner)
	w.pos = fit(w.pos, (2*seqLen-1)*d)
	w.kr = fit(w.kr, (2*seqLen-1)*inner)
	w.scores = fit(w.scores, seqLen)
	w.q = fit(w.q, 3*c.DHead)
}

// fit returns buf resliced to n, reallocated only when too small.
func fit(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
