package checkpoint_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// Convert turns a Hugging Face checkpoint folder (config.json, weights, a
// tokenizer, and sentence-transformers' pooling settings when present) into
// one model file; here the tests' tiny random BERT, with int8 weights.
// Fetch finds the folder for a model name; Resolve does both steps.
func ExampleConvert() {
	dir, err := os.MkdirTemp("", "wasmbert-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "tiny.int8.wbm")
	h, err := checkpoint.Convert("../bert/testdata/tiny", out, checkpoint.ConvertOptions{DType: modelfile.I8})
	if err != nil {
		log.Fatal(err)
	}
	tensors := map[modelfile.DType]int{}
	for _, t := range h.Tensors {
		tensors[t.DType]++
	}
	fmt.Printf("%d layers, hidden size %d, vocabulary %d, %s pooling\n",
		h.Model.NumHiddenLayers, h.Model.HiddenSize, h.Model.VocabSize, h.Pooling.Mode)
	fmt.Printf("%d int8 tensors (word embeddings, 6 matrices a layer), %d f32 (biases, norms, position and token-type embeddings)\n",
		tensors[modelfile.I8], tensors[modelfile.F32])
	// Output:
	// 2 layers, hidden size 32, vocabulary 500, cls pooling
	// 13 int8 tensors (word embeddings, 6 matrices a layer), 24 f32 (biases, norms, position and token-type embeddings)
}
