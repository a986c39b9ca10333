package bert

import (
	"fmt"
	"math"
	"strconv"

	"github.com/nlpodyssey/spago/mat"
)

// ReferenceForward is the plain forward of one unpadded sequence written
// with spago's mat operations, the yardstick for Forward in tests. tensors
// holds float32 weights keyed by HF name; the result is every hidden state
// (embeddings output, then each layer's), each [len(ids), H] row-major.
// typeIDs may be nil (all 0).
func ReferenceForward(cfg Config, tensors map[string][]float32, ids, typeIDs []int32) ([][]float32, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	for _, name := range TensorNames(cfg) {
		if _, ok := tensors[name]; !ok {
			return nil, fmt.Errorf("reference forward: missing tensor %s", name)
		}
	}
	s, h := len(ids), cfg.HiddenSize
	if s == 0 || s > cfg.MaxTokens() {
		return nil, fmt.Errorf("reference forward: %d tokens", s)
	}
	act, _ := parseActivation(cfg.HiddenAct)
	eps := cfg.LayerNormEps
	w := func(name string) []float32 { return tensors[name] }

	// Embeddings: gather the rows, then word + token type + position, as HF adds them.
	word, typ, pos := make([]float32, s*h), make([]float32, s*h), make([]float32, s*h)
	positions := make([]int, s)
	cfg.positionIDs(ids, positions)
	for i, id := range ids {
		tt := int32(0)
		if typeIDs != nil {
			tt = typeIDs[i]
		}
		if id < 0 || int(id) >= cfg.VocabSize || tt < 0 || int(tt) >= cfg.TypeVocabSize {
			return nil, fmt.Errorf("reference forward: token %d: id %d type %d out of range", i, id, tt)
		}
		copy(word[i*h:(i+1)*h], w("embeddings.word_embeddings.weight")[int(id)*h:])
		copy(typ[i*h:(i+1)*h], w("embeddings.token_type_embeddings.weight")[int(tt)*h:])
		copy(pos[i*h:(i+1)*h], w("embeddings.position_embeddings.weight")[positions[i]*h:])
	}
	x := matrix(s, h, word).Add(matrix(s, h, typ)).Add(matrix(s, h, pos))
	x = refLayerNorm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"), eps)
	hidden := [][]float32{mat.Data[float32](x)}

	heads := cfg.NumAttentionHeads
	d := h / heads
	for l := 0; l < cfg.NumHiddenLayers; l++ {
		p := "encoder.layer." + strconv.Itoa(l) + "."
		lin := func(x mat.Matrix, name string, out, in int) mat.Matrix {
			return refLinear(x, w(p+name+".weight"), w(p+name+".bias"), out, in)
		}
		q := lin(x, "attention.self.query", h, h)
		k := lin(x, "attention.self.key", h, h)
		v := lin(x, "attention.self.value", h, h)
		ctx := make([]float32, s*h)
		for hd := 0; hd < heads; hd++ {
			qh := q.Slice(0, hd*d, s, (hd+1)*d)
			kh := k.Slice(0, hd*d, s, (hd+1)*d)
			vh := v.Slice(0, hd*d, s, (hd+1)*d)
			scores := qh.Mul(kh.T()).ProdScalar(1 / math.Sqrt(float64(d)))
			rows := make([]mat.Matrix, s)
			for i := range rows {
				rows[i] = scores.ExtractRow(i).Softmax()
			}
			c := mat.Data[float32](mat.Stack[float32](rows...).Mul(vh))
			for i := 0; i < s; i++ {
				copy(ctx[i*h+hd*d:i*h+(hd+1)*d], c[i*d:(i+1)*d])
			}
		}
		a := lin(matrix(s, h, ctx), "attention.output.dense", h, h).Add(x)
		a = refLayerNorm(a, w(p+"attention.output.LayerNorm.weight"), w(p+"attention.output.LayerNorm.bias"), eps)
		inter := lin(a, "intermediate.dense", cfg.IntermediateSize, h)
		inter = inter.Apply(func(_, _ int, v float64) float64 { return refActivation(act, v) })
		o := lin(inter, "output.dense", h, cfg.IntermediateSize).Add(a)
		x = refLayerNorm(o, w(p+"output.LayerNorm.weight"), w(p+"output.LayerNorm.bias"), eps)
		hidden = append(hidden, mat.Data[float32](x))
	}
	return hidden, nil
}

func matrix(rows, cols int, data []float32) mat.Matrix {
	return mat.NewDense[float32](mat.WithShape(rows, cols), mat.WithBacking(data))
}

// refLinear is x·Wᵀ + b with the bias broadcast over the rows.
func refLinear(x mat.Matrix, w, b []float32, out, in int) mat.Matrix {
	rows := x.Shape()[0]
	y := x.Mul(matrix(out, in, w).T())
	bias := make([]mat.Matrix, rows)
	for i := range bias {
		bias[i] = matrix(1, out, b)
	}
	return y.Add(mat.Stack[float32](bias...))
}

// refLayerNorm normalizes each row: (x-mean)/sqrt(var+eps)·gamma + beta.
func refLayerNorm(x mat.Matrix, gamma, beta []float32, eps float64) mat.Matrix {
	rows, cols := x.Shape()[0], x.Shape()[1]
	g, b := matrix(1, cols, gamma), matrix(1, cols, beta)
	out := make([]mat.Matrix, rows)
	for i := range out {
		r := x.ExtractRow(i)
		mean := r.Sum().Item().F64() / float64(cols)
		c := r.SubScalar(mean)
		variance := c.Prod(c).Sum().Item().F64() / float64(cols)
		out[i] = c.ProdScalar(1 / math.Sqrt(variance+eps)).Prod(g).Add(b)
	}
	return mat.Stack[float32](out...)
}

func refActivation(a activation, v float64) float64 {
	switch a {
	case actGELUTanh:
		return 0.5 * v * (1 + math.Tanh(0.7978845608028654*(v+0.044715*v*v*v)))
	case actReLU:
		return max(v, 0)
	}
	return 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
}
