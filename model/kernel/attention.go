package kernel

import (
	"fmt"
	"math"
)

// Attention computes multi-head scaled dot-product attention for one
// sequence over a fused QKV buffer:
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
// fused [3·hidden, hidden] Linear). out is [seq, hidden], row stride hidden.
// mask is nil or seq additive key biases: 0 keeps key j, a large negative
// value (HF uses the float32 minimum, -Inf also works) drops it. scratch
// holds at least seq floats for one row of scores.
//
// It panics on buffers too short for the shapes: those are programming
// errors, not bad input.
func Attention(out, qkv []float32, seq, heads, headDim, strideQKV int, mask, scratch []float32) {
	hidden := heads * headDim
	checkAttention(out, qkv, seq, hidden, strideQKV, mask, scratch)
	scale := float32(1 / math.Sqrt(float64(headDim)))
	scores := scratch[:seq]
	for h := 0; h < heads; h++ {
		qOff, kOff, vOff := h*headDim, hidden+h*headDim, 2*hidden+h*headDim
		for i := 0; i < seq; i++ {
			q := qkv[i*strideQKV+qOff : i*strideQKV+qOff+headDim]
			for j := range scores {
				scores[j] = Dot(q, qkv[j*strideQKV+kOff:j*strideQKV+kOff+headDim]) * scale
			}
			if mask != nil {
				addTo(scores, mask)
			}
			Softmax(scores)
			o := out[i*hidden+h*headDim : i*hidden+(h+1)*headDim]
			clear(o)
			for j, p := range scores {
				Axpy(p, qkv[j*strideQKV+vOff:j*strideQKV+vOff+headDim], o)
			}
		}
	}
}

func checkAttention(out, qkv []float32, seq, hidden, strideQKV int, mask, scratch []float32) {
	switch {
	case seq < 0 || hidden <= 0:
		panic(fmt.Sprintf("kernel: Attention: invalid seq=%d hidden=%d", seq, hidden))
	case strideQKV < 3*hidden:
		panic(fmt.Sprintf("kernel: Attention: strideQKV=%d < 3·hidden=%d", strideQKV, 3*hidden))
	case seq > 0 && len(qkv) < (seq-1)*strideQKV+3*hidden:
		panic(fmt.Sprintf("kernel: Attention: len(qkv)=%d too short for seq=%d", len(qkv), seq))
	case len(out) < seq*hidden:
		panic(fmt.Sprintf("kernel: Attention: len(out)=%d < seq·hidden=%d", len(out), seq*hidden))
	case mask != nil && len(mask) < seq:
		panic(fmt.Sprintf("kernel: Attention: len(mask)=%d < seq=%d", len(mask), seq))
	case len(scratch) < seq:
		panic(fmt.Sprintf("kernel: Attention: len(scratch)=%d < seq=%d", len(scratch), seq))
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
