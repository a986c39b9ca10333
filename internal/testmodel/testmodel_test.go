package testmodel

import (
	"os"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

func TestModelFile(t *testing.T) {
	for _, dtype := range []string{"f32", "int8"} {
		path := ModelFile(t, dtype)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		h, err := modelfile.NewDecoder(f).Header()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if h.Model.HiddenSize != 384 || h.Model.NumHiddenLayers != 6 || h.Tokenizer.MaxSeqLength != 256 {
			t.Errorf("%s: unexpected config %+v, max_seq_length %d", path, h.Model, h.Tokenizer.MaxSeqLength)
		}
	}
}
