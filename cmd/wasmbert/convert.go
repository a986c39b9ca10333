package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// runConvert implements `wasmbert convert`: checkpoint (dir or name) to a
// model file, then a summary of bytes per dtype.
func runConvert(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	in := fs.String("in", checkpoint.DefaultModel, "checkpoint directory or model name")
	out := fs.String("out", "", "output model file (.wbm)")
	dtype := fs.String("dtype", "f32", "weight dtype: f32, f16, int8 or int4")
	emb := fs.String("embeddings", "", "word-embedding dtype: f32, f16, int8 or int4 (default: int8 for int8/int4, else --dtype)")
	group := fs.Int("group-size", checkpoint.Int4GroupSize, "inputs sharing a scale in int4 Linear weights")
	embGroup := fs.Int("embeddings-group-size", checkpoint.Int4EmbeddingsGroupSize, "columns sharing a scale in an int4 word-embedding table")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: wasmbert convert [--in NAME|DIR] --out FILE.wbm [--dtype f32|f16|int8|int4] [--embeddings DTYPE]

Converts a BERT, RoBERTa, XLM-R or XLNet checkpoint into a wasmbert model file and prints its bytes per dtype.
A fine-tuned *ForSequenceClassification / *ForTokenClassification checkpoint's head is written
beside the model file, FILE.head.json (see 'wasmbert classify -h').
--in is a checkpoint folder (config.json, model.safetensors or pytorch_model.bin,
tokenizer.json or vocab.txt), a known model such as %s, or an HF hub
repository owner/name; names are fetched into the cache first ('wasmbert fetch -h').
`, checkpoint.DefaultModel)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("convert: want --out FILE and no positional arguments")
	}
	if *group < 1 || *embGroup < 1 {
		return fmt.Errorf("convert: --group-size %d, --embeddings-group-size %d: want at least 1", *group, *embGroup)
	}
	opts := checkpoint.ConvertOptions{GroupSize: *group, EmbeddingsGroupSize: *embGroup, Source: map[string]string{"model": *in}}
	var err error
	if opts.DType, err = modelfile.ParseDType(*dtype); err != nil {
		return fmt.Errorf("convert: --dtype: %w", err)
	}
	if *emb != "" {
		if opts.Embeddings, err = modelfile.ParseDType(*emb); err != nil {
			return fmt.Errorf("convert: --embeddings: %w", err)
		}
	}
	dir, err := checkpoint.Fetch(ctx, *in, checkpoint.FetchOptions{Log: os.Stderr})
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	h, err := checkpoint.Convert(dir, *out, opts)
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	if err := printSummary(stdout, *out, h); err != nil {
		return err
	}
	// The model file holds the encoder only; a fine-tuned checkpoint's head
	// goes beside it, for classify/ner --head, the JS library and the edge worker.
	path, kind, err := saveHFHead(dir, *out)
	if err != nil {
		return fmt.Errorf("convert: head: %w", err)
	}
	if path != "" {
		_, err = fmt.Fprintf(stdout, "  %s head: %s (apply with --head %s -m %s)\n", kind, path, path, *out)
	}
	return err
}

func printSummary(w io.Writer, path string, h *modelfile.Header) error {
	bytesBy := map[modelfile.DType]int64{}
	countBy := map[modelfile.DType]int{}
	for _, t := range h.Tensors {
		bytesBy[t.DType] += t.Size
		countBy[t.DType]++
	}
	dtypes := make([]string, 0, len(bytesBy))
	for dt := range bytesBy {
		dtypes = append(dtypes, string(dt))
	}
	sort.Strings(dtypes)
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d layers, hidden %d, vocab %d, pooling %s (normalize %v)\n",
		path, h.Model.NumHiddenLayers, h.Model.HiddenSize, h.Model.VocabSize, h.Pooling.Mode, h.Pooling.Normalize)
	for _, dt := range dtypes {
		fmt.Fprintf(w, "  %-4s %3d tensors %12d bytes\n", dt, countBy[modelfile.DType(dt)], bytesBy[modelfile.DType(dt)])
	}
	for _, name := range slices.Sorted(maps.Keys(h.Prompts)) {
		fmt.Fprintf(w, "  prompt %s: %q (--prompt %s)\n", name, h.Prompts[name], name)
	}
	_, err = fmt.Fprintf(w, "  total file size %d bytes (%.1f MiB)\n", st.Size(), float64(st.Size())/(1<<20))
	return err
}
