package engine_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// exampleModel converts the tiny random BERT of the tests (2 layers, 32
// dimensions, CLS pooling) into a model file, as `wasmbert convert` does.
// Real code loads a .wbm it converted or downloaded, such as
// all-MiniLM-L6-v2.int8.wbm.
func exampleModel() (path string, cleanup func()) {
	dir, err := os.MkdirTemp("", "wasmbert-example")
	if err != nil {
		log.Fatal(err)
	}
	path = filepath.Join(dir, "tiny.wbm")
	if _, err := checkpoint.Convert("../bert/testdata/tiny", path, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
		log.Fatal(err)
	}
	return path, func() { os.RemoveAll(dir) }
}

// Embed takes a batch of texts and returns one vector per text, pooled and
// normalized the way the model was trained. The printed components are
// those sentence-transformers gives for the same checkpoint
// (model/bert/testdata/tiny_reference.json).
func ExampleEngine_Embed() {
	path, cleanup := exampleModel()
	defer cleanup()
	e, err := engine.LoadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	embs, err := e.Embed([]string{"hello", "the quick brown fox jumps over the lazy dog."}, engine.EmbedOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, emb := range embs {
		fmt.Printf("%d dimensions from %d tokens, starting %.3f\n", len(emb.Vector), emb.NumTokens, emb.Vector[:4])
	}
	// Output:
	// 32 dimensions from 6 tokens, starting [0.012 0.181 -0.182 0.183]
	// 32 dimensions from 29 tokens, starting [0.012 0.181 -0.184 0.185]
}

// Similarity is the cosine of two texts' embeddings. The tiny model's
// weights are random, so every pair of texts scores close to 1; a trained
// model such as all-MiniLM-L6-v2 spreads related and unrelated texts apart.
func ExampleEngine_Similarity() {
	path, cleanup := exampleModel()
	defer cleanup()
	e, err := engine.LoadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	same, err := e.Similarity("hello", "hello", engine.EmbedOptions{})
	if err != nil {
		log.Fatal(err)
	}
	other, err := e.Similarity("hello", "the quick brown fox jumps over the lazy dog.", engine.EmbedOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("same text %.5f, another text %.5f\n", same, other)
	// Output:
	// same text 1.00000, another text 0.99998
}
