package kernel

import (
	"math"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Attention computes multi-head scaled dot-product attention for the query
// positions [lo, hi) of one sequence of seq tokens over a fused QKV buffer:
//
//	out[i, h·d:(h+1)·d] = Σ_j softmax_j(q_i·k_j/√d + mask[j]) · v_j
//
// with d = headDim, hidden = heads·d, and for position i and head h
//
//	q_i = qkv[i·strideQKV +            h·d :][:d]
//	k_i = qkv[i·strideQKV +   hidden + h·d :][:d]
//	v_i = qkv[i·strideQKV + 2·hidden + h·d :][:d]
//
// so strideQKV is at least 3·hidden (exactly that for the output of one
// fused [3·hidden, hidden] Linear). out is [seq, hidden], row stride hidden;
// only its rows [lo, hi) are written. Every key and value is read whatever
// the query range, so the workers of a split forward each compute their own
// queries' rows, each with the bits of the whole-sequence call.
// mask is nil or seq additive key biases: 0 keeps key j, a large negative
// value (HF uses the float32 minimum, -Inf also works) drops it.
//
// Both products run on the 4×8 f32 GEMM micro-kernel: per head, K and V
// are packed into 8-wide panels in scratch, then 4 query rows at a time get
// their scores (stored by the kernel straight into scratch), softmax, and
// scores·V (stored straight into out). The last 1 to 3 rows of a range go
// through the same 4-row kernel, their queries copied into scratch with
// zero rows after them: the kernel rounds a row alike whatever the rows
// beside it (TestF32KernelsRoundAlike), so this gives the bits of a 1-row
// kernel at the 4-row rate. scratch should hold AttentionScratch(seq,
// headDim) floats; a shorter one is replaced by an allocation.
//
// It panics on buffers too short for the shapes: those are programming
// errors, not bad input.
func Attention(out, qkv []float32, seq, lo, hi, heads, headDim, strideQKV int, mask, scratch []float32) {
	hidden := heads * headDim
	checkAttention(out, qkv, seq, lo, hi, hidden, strideQKV, mask)
	if lo == hi {
		return
	}
	if n := AttentionScratch(seq, headDim); len(scratch) < n {
		scratch = make([]float32, n)
	}
	seq8 := panelCount(seq) * panelWidth
	hd8 := panelCount(headDim) * panelWidth
	kPack, scratch := scratch[:seq8*headDim], scratch[seq8*headDim:]
	vPack, scratch := scratch[:hd8*seq], scratch[hd8*seq:]
	scores, scratch := scratch[:4*seq8], scratch[4*seq8:]
	qTail := scratch[:4*headDim]
	full := headDim / panelWidth
	scale := float32(1 / math.Sqrt(float64(headDim)))
	var tile [4 * panelWidth]float32
	for h := 0; h < heads; h++ {
		packKeys(kPack, qkv, seq, headDim, strideQKV, hidden+h*headDim, scale)
		packValues(vPack, qkv, seq, headDim, strideQKV, 2*hidden+h*headDim)
		for i := lo; i < hi; i += 4 {
			rows := min(4, hi-i)
			q, ldq := qkv[i*strideQKV+h*headDim:], strideQKV
			if rows < 4 {
				clear(qTail)
				for r := 0; r < rows; r++ {
					copy(qTail[r*headDim:(r+1)*headDim], q[r*strideQKV:])
				}
				q, ldq = qTail, headDim
			}
			// scores[r·seq8+j] = q_{i+r}·(k_j·scale), then + mask[j]
			gemm4x8F32Panels(scores, seq8, q, ldq, kPack, headDim, seq8/panelWidth)
			for r := 0; r < rows; r++ {
				softmaxAdd(scores[r*seq8:r*seq8+seq], mask)
			}
			// out[i+r, h·d+c] = Σ_j scores[r·seq8+j]·v_j[c]: the full
			// panels of 4 rows straight into out, the rest through tile.
			p := 0
			if rows == 4 && full > 0 {
				gemm4x8F32Panels(out[i*hidden+h*headDim:], hidden, scores, seq8, vPack, seq, full)
				p = full
			}
			for ; p < hd8/panelWidth; p++ {
				c0 := h*headDim + p*panelWidth
				cols := min(panelWidth, headDim-p*panelWidth)
				gemm4x8F32(&tile, scores, seq8, vPack[p*seq*panelWidth:(p+1)*seq*panelWidth], seq)
				for r := 0; r < rows; r++ {
					copy(out[(i+r)*hidden+c0:(i+r)*hidden+c0+cols], tile[r*panelWidth:])
				}
			}
		}
	}
}

// AttentionScratch is the scratch length Attention needs: K and V of one
// head packed into panels, the scores of 4 query rows, and 4 query rows.
func AttentionScratch(seq, headDim int) int {
	seq8 := panelCount(seq) * panelWidth
	return seq8*headDim + panelCount(headDim)*panelWidth*seq + 4*seq8 + 4*headDim
}

// packKeys lays out the keys of one head, times scale, as GEMM panels over
// key positions: dst[p·d·8 + c·8 + j] = K[8p+j][c]·scale, zero past seq,
// where K[j][c] = qkv[j·stride + off + c]. Scaling here, once per key,
// spares a multiply per score. A full panel is written in order, eight
// keys' column c at a time, rather than scattered key by key with a bounds
// check per element.
func packKeys(dst, qkv []float32, seq, headDim, stride, off int, scale float32) {
	p := 0
	for ; (p+1)*panelWidth <= seq; p++ {
		panel := dst[p*headDim*panelWidth : (p+1)*headDim*panelWidth]
		key := func(jj int) []float32 {
			j := p*panelWidth + jj
			return qkv[j*stride+off:][:headDim]
		}
		k0, k1, k2, k3, k4, k5, k6, k7 := key(0), key(1), key(2), key(3), key(4), key(5), key(6), key(7)
		for c := range headDim {
			w := (*[panelWidth]float32)(panel[c*panelWidth:])
			w[0], w[1], w[2], w[3] = k0[c]*scale, k1[c]*scale, k2[c]*scale, k3[c]*scale
			w[4], w[5], w[6], w[7] = k4[c]*scale, k5[c]*scale, k6[c]*scale, k7[c]*scale
		}
	}
	if p*panelWidth == seq {
		return
	}
	panel := dst[p*headDim*panelWidth : (p+1)*headDim*panelWidth]
	clear(panel)
	for j := p * panelWidth; j < seq; j++ {
		for c, v := range qkv[j*stride+off : j*stride+off+headDim] {
			panel[c*panelWidth+j%panelWidth] = v * scale
		}
	}
}

// packValues lays out the values of one head as GEMM panels over head
// columns: dst[p·seq·8 + j·8 + c] = V[j][8p+c], zero past headDim. A full
// panel row is eight values copied one by one: an array assignment or copy
// of 32 bytes is a memory.copy on wasm, a call out of the compiled code.
func packValues(dst, qkv []float32, seq, headDim, stride, off int) {
	full := headDim / panelWidth
	for j := 0; j < seq; j++ {
		v := qkv[j*stride+off : j*stride+off+headDim]
		for p := 0; p < full; p++ {
			d, s := (*[panelWidth]float32)(dst[p*seq*panelWidth+j*panelWidth:]), (*[panelWidth]float32)(v[p*panelWidth:])
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
		}
		if full*panelWidth < headDim {
			d := dst[full*seq*panelWidth+j*panelWidth:][:panelWidth]
			clear(d[copy(d, v[full*panelWidth:]):])
		}
	}
}

func checkAttention(out, qkv []float32, seq, lo, hi, hidden, strideQKV int, mask []float32) {
	switch {
	case seq < 0 || hidden <= 0:
		panic(errfmt.Sprintf("kernel: Attention: invalid seq=%d hidden=%d", seq, hidden))
	case lo < 0 || lo > hi || hi > seq:
		panic(errfmt.Sprintf("kernel: Attention: query rows [%d, %d) outside [0, %d)", lo, hi, seq))
	case strideQKV < 3*hidden:
		panic(errfmt.Sprintf("kernel: Attention: strideQKV=%d < 3·hidden=%d", strideQKV, 3*hidden))
	case seq > 0 && len(qkv) < (seq-1)*strideQKV+3*hidden:
		panic(errfmt.Sprintf("kernel: Attention: len(qkv)=%d too short for seq=%d", len(qkv), seq))
	case len(out) < seq*hidden:
		panic(errfmt.Sprintf("kernel: Attention: len(out)=%d < seq·hidden=%d", len(out), seq*hidden))
	case mask != nil && len(mask) < seq:
		panic(errfmt.Sprintf("kernel: Attention: len(mask)=%d < seq=%d", len(mask), seq))
	}
}

// AttentionRef is the float64 reference for Attention, same layouts.
func AttentionRef(out, qkv []float32, seq, heads, headDim, strideQKV int, mask []float32) {
	hidden := heads * headDim
	scale := 1 / math.Sqrt(float64(headDim))
	scores := make([]float64, seq)
	for h := 0; h < heads; h++ {
		for i := 0; i < seq; i++ {
			m := math.Inf(-1)
			for j := range scores {
				var s float64
				for d := 0; d < headDim; d++ {
					s += float64(qkv[i*strideQKV+h*headDim+d]) * float64(qkv[j*strideQKV+hidden+h*headDim+d])
				}
				s *= scale
				if mask != nil {
					s += float64(mask[j])
				}
				scores[j] = s
				m = max(m, s)
			}
			var z float64
			for j, s := range scores {
				scores[j] = math.Exp(s - m)
				z += scores[j]
			}
			for d := 0; d < headDim; d++ {
				var o float64
				for j, p := range scores {
					o += p / z * float64(qkv[j*strideQKV+2*hidden+h*headDim+d])
				}
				out[i*hidden+h*headDim+d] = float32(o)
			}
		}
	}
}
