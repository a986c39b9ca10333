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
// queries' rows: the queries go 4 at a time from lo, so a range starting on
// a multiple of 4 gives the bits of the whole-sequence call.
// mask is nil or seq additive key biases: 0 keeps key j, a large negative
// value (HF uses the float32 minimum, -Inf also works) drops it.
//
// Both products run on the GEMM micro-kernels: per head, K and V are packed
// into 8-wide panels in scratch, then 4 query rows at a time get their
// scores, softmax, and scores·V. scratch should hold AttentionScratch(seq,
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
	kPack := scratch[:seq8*headDim]
	vPack := scratch[len(kPack) : len(kPack)+hd8*seq]
	scores := scratch[len(kPack)+len(vPack) : len(kPack)+len(vPack)+4*seq8]
	scale := float32(1 / math.Sqrt(float64(headDim)))
	var tile [4 * panelWidth]float32
	for h := 0; h < heads; h++ {
		packKeys(kPack, qkv, seq, headDim, strideQKV, hidden+h*headDim, scale)
		packValues(vPack, qkv, seq, headDim, strideQKV, 2*hidden+h*headDim)
		for i := lo; i < hi; i += 4 {
			rows := min(4, hi-i)
			q := qkv[i*strideQKV+h*headDim:]
			// scores[r·seq8+j] = q_{i+r}·(k_j·scale) + mask[j]
			for p := 0; p < seq8/panelWidth; p++ {
				panel := kPack[p*headDim*panelWidth : (p+1)*headDim*panelWidth]
				tileRows(&tile, q, strideQKV, panel, headDim, rows)
				for r := 0; r < rows; r++ {
					copy(scores[r*seq8+p*panelWidth:r*seq8+(p+1)*panelWidth], tile[r*panelWidth:])
				}
			}
			for r := 0; r < rows; r++ {
				s := scores[r*seq8 : r*seq8+seq]
				if mask != nil {
					addTo(s, mask)
				}
				Softmax(s)
			}
			// out[i+r, h·d+c] = Σ_j scores[r·seq8+j]·v_j[c]
			for p := 0; p < hd8/panelWidth; p++ {
				tileRows(&tile, scores, seq8, vPack[p*seq*panelWidth:(p+1)*seq*panelWidth], seq, rows)
				c0 := h*headDim + p*panelWidth
				cols := min(panelWidth, headDim-p*panelWidth)
				for r := 0; r < rows; r++ {
					copy(out[(i+r)*hidden+c0:(i+r)*hidden+c0+cols], tile[r*panelWidth:])
				}
			}
		}
	}
}

// AttentionScratch is the scratch length Attention needs: K and V of one
// head packed into panels, and the scores of 4 query rows.
func AttentionScratch(seq, headDim int) int {
	seq8 := panelCount(seq) * panelWidth
	return seq8*headDim + panelCount(headDim)*panelWidth*seq + 4*seq8
}

// tileRows runs the 4×8 micro-kernel on rows (1 to 4) rows of x, ldx apart,
// leaving the result in the first rows rows of tile.
func tileRows(tile *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in, rows int) {
	if rows == 4 {
		gemm4x8F32(tile, x, ldx, panel, in)
		return
	}
	for r := 0; r < rows; r++ {
		gemm1x8F32((*[panelWidth]float32)(tile[r*panelWidth:(r+1)*panelWidth]), x[r*ldx:r*ldx+in], panel, in)
	}
}

// packKeys lays out the keys of one head, times scale, as GEMM panels over
// key positions: dst[p·d·8 + c·8 + j] = K[8p+j][c]·scale, zero past seq,
// where K[j][c] = qkv[j·stride + off + c]. Scaling here, once per key,
// spares a multiply per score.
func packKeys(dst, qkv []float32, seq, headDim, stride, off int, scale float32) {
	clear(dst)
	for j := 0; j < seq; j++ {
		panel := dst[(j/panelWidth)*headDim*panelWidth:]
		for c, v := range qkv[j*stride+off : j*stride+off+headDim] {
			panel[c*panelWidth+j%panelWidth] = v * scale
		}
	}
}

// packValues lays out the values of one head as GEMM panels over head
// columns: dst[p·seq·8 + j·8 + c] = V[j][8p+c], zero past headDim.
func packValues(dst, qkv []float32, seq, headDim, stride, off int) {
	clear(dst)
	for j := 0; j < seq; j++ {
		for c, v := range qkv[j*stride+off : j*stride+off+headDim] {
			dst[(c/panelWidth)*seq*panelWidth+j*panelWidth+c%panelWidth] = v
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
