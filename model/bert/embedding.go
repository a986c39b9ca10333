package bert

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/kernel"
)

// embeddingTable is a [rows, dim] lookup table kept in its stored precision:
// an int8 word table is a quarter of the f32 one and an int4 table an
// eighth, which matters in a browser tab, and a row is dequantized only when
// a token uses it.
type embeddingTable struct {
	rows, dim int
	f32       []float32
	q         []int8
	nibbles   []byte    // int4: per row ⌈dim/2⌉ bytes, column 2k in the low nibble
	group     int       // int4: columns sharing a scale
	scale     []float32 // int8: one per row; int4: ⌈dim/group⌉ per row
}

// addRow adds row i of the table to dst. The arithmetic per element is that
// of modelfile.DequantizeInt8 and DequantizeInt4 followed by an addition, so
// a packed table gives the same sums as its f32 expansion; the explicit
// float32 conversions round the product, which keeps a compiler from fusing
// it with the addition where the expansion could not.
func (t *embeddingTable) addRow(dst []float32, i int) {
	switch {
	case t.q != nil:
		s := t.scale[i]
		for k, v := range t.q[i*t.dim : (i+1)*t.dim] {
			dst[k] += float32(float32(v) * s)
		}
	case t.nibbles != nil:
		rowBytes := (t.dim + 1) / 2
		groups := (t.dim + t.group - 1) / t.group
		row := t.nibbles[i*rowBytes : (i+1)*rowBytes]
		scale := t.scale[i*groups : (i+1)*groups]
		for k := range dst[:t.dim] {
			n := int8(row[k/2]>>(4*(k%2))) << 4 >> 4 // sign-extend the nibble
			dst[k] += float32(float32(n) * scale[k/t.group])
		}
	default:
		for k, v := range t.f32[i*t.dim : (i+1)*t.dim] {
			dst[k] += v
		}
	}
}

// isEmbeddingTable reports the tensors that become embeddingTables.
func isEmbeddingTable(name string) bool {
	switch name {
	case "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight":
		return true
	}
	return false
}

func newEmbeddingTable(d tensorData, shape []int) embeddingTable {
	return embeddingTable{rows: shape[0], dim: shape[1], f32: d.f32, q: d.q, nibbles: d.nibbles, group: d.group, scale: d.scale}
}

// embed fills x [B·S, H] with LayerNorm(word + token type + position), the
// order of additions HF's BertEmbeddings uses; positions as Config.positionIDs.
func (m *Model) embed(x []float32, in *Input) error {
	return m.embedRows(x, in, 0, in.Batch*in.SeqLen)
}

// embedRows is embed for the flat token rows [lo, hi) only, the share of
// one part of a split forward; every row is computed on its own, so the
// result equals those rows of embed.
func (m *Model) embedRows(x []float32, in *Input, lo, hi int) error {
	h, pad := m.cfg.HiddenSize, int32(m.cfg.PadTokenID)
	offset := m.cfg.offsetPositions()
	counted := 0 // RoBERTa: non-pad tokens of the sequence before t
	for t := lo; t < hi; t++ {
		b, j := t/in.SeqLen, t%in.SeqLen
		id := int(in.IDs[t])
		pos := j
		if offset {
			if t == lo || j == 0 {
				counted = 0
				for _, v := range in.IDs[b*in.SeqLen : t] {
					if v != pad {
						counted++
					}
				}
			}
			pos = int(pad)
			if in.IDs[t] != pad {
				counted++
				pos += counted
			}
		}
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
		m.position.addRow(row, pos)
	}
	kernel.LayerNorm(x[lo*h:hi*h], hi-lo, h, m.embGamma, m.embBeta, float32(m.cfg.LayerNormEps))
	return nil
}
