package checkpoint

import (
	"path/filepath"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// TestConvertInt4Layout checks what --dtype int4 stores where: int4 with
// the chosen group size, the attention value and output projections at
// int8, the rest as for any dtype; and that --embeddings int4 has its own
// group size.
func TestConvertInt4Layout(t *testing.T) {
	dir := t.TempDir()
	writeTinyCheckpoint(t, dir, tinyWeights())
	type stored struct {
		dtype modelfile.DType
		group int
	}
	tests := []struct {
		opts ConvertOptions
		want map[string]stored
	}{
		{ConvertOptions{DType: modelfile.I4}, map[string]stored{
			"encoder.layer.0.attention.self.query.weight":   {modelfile.I4, Int4GroupSize},
			"encoder.layer.1.attention.self.key.weight":     {modelfile.I4, Int4GroupSize},
			"encoder.layer.0.attention.self.value.weight":   {modelfile.I8, 0},
			"encoder.layer.1.attention.output.dense.weight": {modelfile.I8, 0},
			"encoder.layer.0.intermediate.dense.weight":     {modelfile.I4, Int4GroupSize},
			"encoder.layer.1.output.dense.weight":           {modelfile.I4, Int4GroupSize},
			"pooler.dense.weight":                           {modelfile.I4, Int4GroupSize},
			"encoder.layer.0.attention.self.value.bias":     {modelfile.F32, 0},
			"embeddings.word_embeddings.weight":             {modelfile.I8, 0},
		}},
		{ConvertOptions{DType: modelfile.I4, GroupSize: 4}, map[string]stored{
			"encoder.layer.0.output.dense.weight":         {modelfile.I4, 4},
			"encoder.layer.0.attention.self.value.weight": {modelfile.I8, 0},
		}},
		{ConvertOptions{DType: modelfile.I4, GroupSize: 4, Embeddings: modelfile.I4}, map[string]stored{
			"encoder.layer.0.output.dense.weight": {modelfile.I4, 4},
			"embeddings.word_embeddings.weight":   {modelfile.I4, Int4EmbeddingsGroupSize},
		}},
		{ConvertOptions{DType: modelfile.I8, Embeddings: modelfile.I4, EmbeddingsGroupSize: 8}, map[string]stored{
			"encoder.layer.0.output.dense.weight":     {modelfile.I8, 0},
			"embeddings.word_embeddings.weight":       {modelfile.I4, 8},
			"embeddings.position_embeddings.weight":   {modelfile.F32, 0},
			"embeddings.token_type_embeddings.weight": {modelfile.F32, 0},
		}},
		{ConvertOptions{DType: modelfile.I8, GroupSize: 4}, map[string]stored{
			"encoder.layer.0.output.dense.weight":         {modelfile.I8, 0},
			"encoder.layer.0.attention.self.value.weight": {modelfile.I8, 0},
		}},
	}
	for _, tc := range tests {
		h, err := Convert(dir, filepath.Join(t.TempDir(), "m.wbm"), tc.opts)
		if err != nil {
			t.Fatalf("%+v: %v", tc.opts, err)
		}
		for name, want := range tc.want {
			ti := h.Tensor(name)
			if ti == nil {
				t.Fatalf("%+v: no tensor %s", tc.opts, name)
			}
			if got := (stored{ti.DType, ti.GroupSize}); got != want {
				t.Errorf("%+v: %s stored as %+v, want %+v", tc.opts, name, got, want)
			}
		}
	}
	for _, opts := range []ConvertOptions{
		{DType: modelfile.I4, GroupSize: -1},
		{DType: modelfile.I4, Embeddings: modelfile.I4, EmbeddingsGroupSize: -1},
	} {
		if _, err := Convert(dir, filepath.Join(t.TempDir(), "m.wbm"), opts); err == nil {
			t.Errorf("%+v: negative group size accepted", opts)
		}
	}
}
