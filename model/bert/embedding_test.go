package bert

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/modelwriter"
)

// TestInt4EmbeddingRowMatchesExpansion holds the packed int4 lookup to the
// reference expansion, modelfile.DequantizeInt4, bit for bit: addRow does the
// same multiply and then the addition, on shapes with odd widths and groups
// that do not divide the width.
func TestInt4EmbeddingRowMatchesExpansion(t *testing.T) {
	tests := []struct{ rows, dim, group int }{
		{7, 37, 16},
		{5, 32, 16},
		{3, 33, 5},
		{4, 1, 16},
		{6, 384, 32},
		{2, 17, 17},
	}
	for _, tt := range tests {
		rng := rand.New(rand.NewPCG(uint64(tt.dim), uint64(tt.group)))
		w := make([]float32, tt.rows*tt.dim)
		for i := range w {
			w[i] = float32(rng.NormFloat64() * 0.05)
		}
		packed, scale := modelfile.QuantizeInt4(w, tt.rows, tt.dim, tt.group)
		want := modelfile.DequantizeInt4(packed, scale, tt.rows, tt.dim, tt.group)
		table := newEmbeddingTable(tensorData{nibbles: packed, group: tt.group, scale: scale}, []int{tt.rows, tt.dim})
		for i := 0; i < tt.rows; i++ {
			start := make([]float32, tt.dim)
			for k := range start {
				start[k] = float32(rng.NormFloat64())
			}
			got := append([]float32(nil), start...)
			table.addRow(got, i)
			for k := range got {
				if e := start[k] + want[i*tt.dim+k]; math.Float32bits(got[k]) != math.Float32bits(e) {
					t.Fatalf("%d×%d group %d: row %d col %d: got %g, expansion gives %g", tt.rows, tt.dim, tt.group, i, k, got[k], e)
				}
			}
		}
	}
}

// tinyModelFile writes the tiny checkpoint as a model file whose embedding
// tables named in i4 are int4 with the given group size, the rest f32.
func tinyModelFile(t *testing.T, cfg Config, w map[string][]float32, group int, i4 ...string) []byte {
	t.Helper()
	h := &modelfile.Header{Model: modelfile.BertConfig(cfg), Pooling: modelfile.PoolingConfig{Mode: "mean"}}
	for _, name := range TensorNames(cfg) {
		shape, err := (&Builder{cfg: cfg}).shapeOf(name)
		if err != nil {
			t.Fatal(err)
		}
		h.Tensors = append(h.Tensors, modelfile.TensorInfo{Name: name, Shape: shape, GroupSize: group})
	}
	dtypes := func(name string) modelfile.DType {
		for _, n := range i4 {
			if n == name {
				return modelfile.I4
			}
		}
		return modelfile.F32
	}
	var buf bytes.Buffer
	if err := modelwriter.Write(&buf, h, w, dtypes); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestInt4EmbeddingsStayPacked loads the tiny model with int4 embedding
// tables: the tables must stay packed, and the forward pass must equal, bit
// for bit, that of the model built from their f32 expansion.
func TestInt4EmbeddingsStayPacked(t *testing.T) {
	cfg, w, cases := loadTiny(t)
	tests := []struct {
		name   string
		group  int
		tables []string
	}{
		{"word g16", 16, []string{"embeddings.word_embeddings.weight"}},
		{"word g32", 32, []string{"embeddings.word_embeddings.weight"}},
		{"all tables g5", 5, []string{"embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, tensors, err := modelfile.ReadAll(bytes.NewReader(tinyModelFile(t, cfg, w, tt.group, tt.tables...)))
			if err != nil {
				t.Fatal(err)
			}
			b, err := NewBuilder(cfg)
			if err != nil {
				t.Fatal(err)
			}
			expanded := map[string][]float32{}
			for _, tensor := range tensors {
				if err := b.Add(tensor); err != nil {
					t.Fatal(err)
				}
				if expanded[tensor.Name], err = tensor.Float32(); err != nil {
					t.Fatal(err)
				}
			}
			packed, err := b.Done()
			if err != nil {
				t.Fatal(err)
			}
			for _, tab := range []*embeddingTable{&packed.word, &packed.position, &packed.tokenType} {
				if tab.f32 != nil {
					continue
				}
				if tab.nibbles == nil || len(tab.nibbles) != tab.rows*((tab.dim+1)/2) {
					t.Fatalf("%d×%d table not kept packed as int4", tab.rows, tab.dim)
				}
			}
			if packed.word.nibbles == nil {
				t.Fatal("word table expanded at load")
			}
			ref, err := New(cfg, expanded)
			if err != nil {
				t.Fatal(err)
			}
			var ws1, ws2 Workspace
			for _, c := range cases {
				in := Input{IDs: c.IDs, TypeIDs: c.TypeIDs, Batch: 1, SeqLen: len(c.IDs)}
				got, err := packed.Forward(&ws1, in)
				if err != nil {
					t.Fatal(err)
				}
				want, err := ref.Forward(&ws2, in)
				if err != nil {
					t.Fatal(err)
				}
				if d := maxAbsDiff(got.Last, want.Last); d != 0 {
					t.Errorf("%q: packed int4 embeddings differ from their expansion by %g", c.Text, d)
				}
			}
		})
	}
}

func TestInt4EmbeddingRejectsBadData(t *testing.T) {
	cfg, w, _ := loadTiny(t)
	_, tensors, err := modelfile.ReadAll(bytes.NewReader(tinyModelFile(t, cfg, w, 16, "embeddings.word_embeddings.weight")))
	if err != nil {
		t.Fatal(err)
	}
	word := *tensors[0]
	if word.DType != modelfile.I4 {
		t.Fatalf("first tensor %s is %s", word.Name, string(word.DType))
	}
	truncated := word
	truncated.Data = word.Data[:len(word.Data)-3]
	wrongShape := word
	wrongShape.Shape = []int{word.Shape[0] / 2, word.Shape[1] * 2}
	for name, bad := range map[string]*modelfile.Tensor{"truncated": &truncated, "wrong shape": &wrongShape} {
		b, err := NewBuilder(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(bad); err == nil {
			t.Errorf("%s int4 word table accepted", name)
		}
	}
}
