package bert

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/kernel"
)

// embeddingTable is a [rows, dim] lookup table kept in its stored precision:
// an int8 word table is a quarter of the f32 one, which matters in a
// browser tab, and a row is dequantized only when a token uses it.
type embeddingTable struct {
	rows, dim int
	f32       []float32
	q         []int8
	scale     []float32 // one per row, with q
}

// addRow adds row i of the table to dst.
func (t *embeddingTable) addRow(dst []float32, i int) {
	if t.q != nil {
		s := t.scale[i]
		for k, v := range t.q[i*t.dim : (i+1)*t.dim] {
			dst[k] += float32(v) * s
		}
		return
	}
	for k, v := range t.f32[i*t.dim : (i+1)*t.dim] {
		dst[k] += v
	}
}

// embed fills x [B·S, H] with LayerNorm(word + token type + position), the
// order of additions HF's BertEmbeddings uses.
func (m *Model) embed(x []float32, in *Input) error {
	h := m.cfg.HiddenSize
	for b := 0; b < in.Batch; b++ {
		for j := 0; j < in.SeqLen; j++ {
			t := b*in.SeqLen + j
			id := int(in.IDs[t])
			if id < 0 || id >= m.word.rows {
				return errfmt.Errorf("token %d of sequence %d: id %d outside vocabulary of %d", j, b, id, m.word.rows)
			}
			tt := 0
			if in.TypeIDs != nil {
				tt = int(in.TypeIDs[t])
			}
			if tt < 0 || tt >= m.tokenType.rows {
				return errfmt.Errorf("token %d of sequence %d: type id %d outside 0..%d", j, b, tt, m.tokenType.rows-1)
			}
			row := x[t*h : (t+1)*h]
			clear(row)
			m.word.addRow(row, id)
			m.tokenType.addRow(row, tt)
			m.position.addRow(row, j)
		}
	}
	kernel.LayerNorm(x, in.Batch*in.SeqLen, h, m.embGamma, m.embBeta, float32(m.cfg.LayerNormEps))
	return nil
}
