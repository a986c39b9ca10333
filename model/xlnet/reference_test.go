package xlnet

import (
	"fmt"
	"math"
	"strconv"

	"github.com/nlpodyssey/spago/mat"
)

// referenceForward is the plain forward of one unpadded sequence written with
// spago's mat operations, following HF's XLNetModel step by step (the 2S
// position encodings, the reshape-and-drop rel_shift, the one-hot segment
// matrix) rather than the fast path's index arithmetic. It is the yardstick
// for Forward. tensors is keyed as TensorShapes names them; typeIDs may be
// nil (no segment term, as HF without token_type_ids). The result is every
// hidden state, each [len(ids), D] row-major.
func referenceForward(cfg Config, tensors map[string]Tensor, ids, typeIDs []int32) ([][]float32, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	w := func(name string) []float32 { return tensors[name].Data }
	s, d, heads, dh := len(ids), cfg.DModel, cfg.NHead, cfg.DHead
	inner := heads * dh
	if s == 0 {
		return nil, fmt.Errorf("reference forward: no tokens")
	}
	emb := make([]float32, s*d)
	for i, id := range ids {
		copy(emb[i*d:(i+1)*d], w("word_embedding.weight")[int(id)*d:])
	}
	x := matrix(s, d, emb)
	hidden := [][]float32{mat.Data[float32](x)}

	// relative_positional_encoding: pos_seq = S, S−1, …, −S+1; sin then cos.
	pos := make([]float32, 2*s*d)
	for k := range 2 * s {
		p := float32(s - k)
		if cfg.ClampLen > 0 {
			p = float32(max(-cfg.ClampLen, min(cfg.ClampLen, s-k)))
		}
		for i := range d / 2 {
			f := 1 / float32(math.Pow(10000, float64(float32(2*i)/float32(d))))
			pos[k*d+i] = float32(math.Sin(float64(p * f)))
			pos[k*d+d/2+i] = float32(math.Cos(float64(p * f)))
		}
	}
	posEmb := matrix(2*s, d, pos)
	scale := 1 / math.Sqrt(float64(dh))
	eps := cfg.LayerNormEps

	for l := range cfg.NLayer {
		p := "layer." + strconv.Itoa(l) + "."
		a := p + "rel_attn."
		proj := func(in mat.Matrix, name string) mat.Matrix { return in.Mul(matrix(d, inner, w(a+name))) }
		q, k, v, kr := proj(x, "q"), proj(x, "k"), proj(x, "v"), proj(posEmb, "r")
		ctx := make([]float32, s*inner)
		for h := range heads {
			bias := func(name string) mat.Matrix {
				return rows(s, matrix(1, dh, w(a + name)[h*dh:(h+1)*dh]))
			}
			qh := q.Slice(0, h*dh, s, (h+1)*dh)
			kh := k.Slice(0, h*dh, s, (h+1)*dh)
			vh := v.Slice(0, h*dh, s, (h+1)*dh)
			krh := kr.Slice(0, h*dh, 2*s, (h+1)*dh)
			ac := qh.Add(bias("r_w_bias")).Mul(kh.T())
			bd := relShift(mat.Data[float32](qh.Add(bias("r_r_bias")).Mul(krh.T())), s)
			score := ac.Add(bd)
			if typeIDs != nil {
				seg := w(a + "seg_embed")
				segH := matrix(2, dh, append(cut(seg, h*dh, dh), cut(seg, inner+h*dh, dh)...))
				efh := mat.Data[float32](qh.Add(bias("r_s_bias")).Mul(segH.T())) // [S, 2]
				ef := make([]float32, s*s)
				for i := range s {
					for j := range s {
						diff := 0
						if typeIDs[i] != typeIDs[j] {
							diff = 1
						}
						ef[i*s+j] = efh[i*2+diff]
					}
				}
				score = score.Add(matrix(s, s, ef))
			}
			score = score.ProdScalar(scale)
			probs := make([]mat.Matrix, s)
			for i := range probs {
				probs[i] = score.ExtractRow(i).Softmax()
			}
			c := mat.Data[float32](mat.Stack[float32](probs...).Mul(vh))
			for i := range s {
				copy(ctx[i*inner+h*dh:i*inner+(h+1)*dh], c[i*dh:(i+1)*dh])
			}
		}
		// post_attention: einsum("ibnd,hnd->ibh") is ctx·oᵀ with o as [D, inner].
		attn := matrix(s, inner, ctx).Mul(matrix(d, inner, w(a+"o")).T()).Add(x)
		attn = refLayerNorm(attn, w(a+"layer_norm.weight"), w(a+"layer_norm.bias"), eps)
		mid := refLinear(attn, w(p+"ff.layer_1.weight"), w(p+"ff.layer_1.bias"), cfg.DInner, d)
		mid = mid.Apply(func(_, _ int, v float64) float64 {
			if cfg.FFActivation == "relu" {
				return max(v, 0)
			}
			return 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
		})
		out := refLinear(mid, w(p+"ff.layer_2.weight"), w(p+"ff.layer_2.bias"), d, cfg.DInner).Add(attn)
		x = refLayerNorm(out, w(p+"ff.layer_norm.weight"), w(p+"ff.layer_norm.bias"), eps)
		hidden = append(hidden, mat.Data[float32](x))
	}
	return hidden, nil
}

// relShift is HF's rel_shift_bnij on one head's [S, 2S] position scores:
// read as [2S, S], drop the first row, read as [S, 2S−1], keep S columns.
func relShift(bd []float32, s int) mat.Matrix {
	shifted := bd[s:] // [2S−1, S] rows after the first, = [S, 2S−1]
	out := make([]float32, s*s)
	for i := range s {
		copy(out[i*s:(i+1)*s], shifted[i*(2*s-1):])
	}
	return matrix(s, s, out)
}

func cut(a []float32, off, n int) []float32 { return append([]float32(nil), a[off:off+n]...) }

func matrix(rows, cols int, data []float32) mat.Matrix {
	return mat.NewDense[float32](mat.WithShape(rows, cols), mat.WithBacking(data))
}

// rows stacks n copies of the row vector r.
func rows(n int, r mat.Matrix) mat.Matrix {
	rs := make([]mat.Matrix, n)
	for i := range rs {
		rs[i] = r
	}
	return mat.Stack[float32](rs...)
}

// refLinear is x·Wᵀ + b with W [out, in].
func refLinear(x mat.Matrix, w, b []float32, out, in int) mat.Matrix {
	return x.Mul(matrix(out, in, w).T()).Add(rows(x.Shape()[0], matrix(1, out, b)))
}

// refLayerNorm normalizes each row: (x−mean)/√(var+eps)·gamma + beta.
func refLayerNorm(x mat.Matrix, gamma, beta []float32, eps float64) mat.Matrix {
	n, cols := x.Shape()[0], x.Shape()[1]
	g, b := matrix(1, cols, gamma), matrix(1, cols, beta)
	out := make([]mat.Matrix, n)
	for i := range out {
		r := x.ExtractRow(i)
		mean := r.Sum().Item().F64() / float64(cols)
		c := r.SubScalar(mean)
		variance := c.Prod(c).Sum().Item().F64() / float64(cols)
		out[i] = c.ProdScalar(1 / math.Sqrt(variance+eps)).Prod(g).Add(b)
	}
	return mat.Stack[float32](out...)
}
