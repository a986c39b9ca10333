package checkpoint

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/modelwriter"
)

// ConvertOptions chooses how weights are stored.
type ConvertOptions struct {
	// DType stores the 2-D Linear weights of the encoder layers and pooler:
	// F32, F16, I8 or I4. Biases and LayerNorm parameters stay F32. With I4,
	// the tensors int4KeepsInt8 names are stored as I8.
	DType modelfile.DType
	// GroupSize is the number of inputs sharing a scale in I4 Linear
	// weights; 0 means Int4GroupSize.
	GroupSize int
	// Embeddings stores the word-embedding table: F32, F16, I8 or I4; empty
	// means I8 when DType is I8 or I4, else DType. Position and token-type
	// tables stay F32.
	Embeddings modelfile.DType
	// EmbeddingsGroupSize is the number of columns sharing a scale in an I4
	// word-embedding table; 0 means Int4EmbeddingsGroupSize.
	EmbeddingsGroupSize int
	// Source is merged into the header's provenance map.
	Source map[string]string
}

// ConverterVersion changes whenever Convert writes different bytes for the
// same checkpoint (a new quantizer, say). It is recorded in every header and
// is part of Resolve's cache key, so a cached conversion from an older
// converter is never picked up.
const ConverterVersion = "4"

// Int4GroupSize is Convert's default I4 group size. Group 16 against 32
// costs 7% more file for a clear gain in embedding quality; the measurement
// is in docs/model-format.md.
const Int4GroupSize = 16

// Int4EmbeddingsGroupSize is Convert's default group size for an I4
// word-embedding table. The table is half of all-MiniLM-L6-v2's weights, so
// its scales weigh: group 32 against 16 saves 1.5 MB of file for a small
// loss in embedding quality (docs/model-format.md).
const Int4EmbeddingsGroupSize = 32

// int4KeepsInt8 reports whether an --dtype int4 conversion stores the named
// Linear weight as I8 instead. The attention value and output projections
// are a sixth of the encoder's weights but, measured one kind at a time, lose
// the most embedding quality per byte at int4 (docs/model-format.md).
func int4KeepsInt8(name string) bool {
	return strings.HasSuffix(name, ".attention.self.value.weight") ||
		strings.HasSuffix(name, ".attention.output.dense.weight") ||
		// XLNet's (model/xlnet FileTensors).
		strings.HasSuffix(name, ".rel_attn.v.weight") || strings.HasSuffix(name, ".rel_attn.o.weight")
}

// isWordTable reports the word-embedding table of BERT or XLNet.
func isWordTable(name string) bool {
	return name == "embeddings.word_embeddings.weight" || name == "word_embedding.weight"
}

// groupSize returns the I4 group size of the named tensor under o.
func (o ConvertOptions) groupSize(name string) int {
	if isWordTable(name) {
		if o.EmbeddingsGroupSize > 0 {
			return o.EmbeddingsGroupSize
		}
		return Int4EmbeddingsGroupSize
	}
	if o.GroupSize > 0 {
		return o.GroupSize
	}
	return Int4GroupSize
}

// embeddingsDType applies the default documented on ConvertOptions.
func (o ConvertOptions) embeddingsDType() modelfile.DType {
	switch {
	case o.Embeddings != "":
		return o.Embeddings
	case o.DType == modelfile.I8 || o.DType == modelfile.I4:
		return modelfile.I8
	}
	return o.DType
}

// DTypeFor returns the storage type of the named tensor under o.
func (o ConvertOptions) DTypeFor(name string, shape []int) modelfile.DType {
	switch {
	case isWordTable(name):
		return o.embeddingsDType()
	case len(shape) == 2 && (strings.HasPrefix(name, "encoder.") || strings.HasPrefix(name, "pooler.") ||
		// XLNet's matrices; its biases of shape [n_head, d_head] stay F32.
		strings.HasPrefix(name, "layer.") && strings.HasSuffix(name, ".weight")):
		if o.DType == modelfile.I4 && int4KeepsInt8(name) {
			return modelfile.I8
		}
		return o.DType
	}
	return modelfile.F32
}

// Convert reads the checkpoint in dir and writes it as a model file at
// outPath (atomically: a partial file never appears under outPath). It
// returns the header written.
func Convert(dir, outPath string, opts ConvertOptions) (*modelfile.Header, error) {
	if opts.DType == "" {
		opts.DType = modelfile.F32
	}
	if opts.GroupSize < 0 || opts.EmbeddingsGroupSize < 0 {
		return nil, fmt.Errorf("convert %s: int4 group size %d, embeddings group size %d: want 0 (default) or more", dir, opts.GroupSize, opts.EmbeddingsGroupSize)
	}
	ck, err := Load(dir)
	if err != nil {
		return nil, err
	}
	h := &modelfile.Header{Model: ck.Config, XLNet: ck.XLNet, Tokenizer: ck.Tokenizer, Pooling: ck.Pooling, Prompts: ck.Prompts, Source: map[string]string{}}
	for k, v := range ck.Source {
		h.Source[k] = v
	}
	for k, v := range opts.Source {
		h.Source[k] = v
	}
	h.Source["converter_version"] = ConverterVersion
	data := make(map[string][]float32, len(ck.Order))
	for _, name := range ck.Order {
		w := ck.Tensors[name]
		info := modelfile.TensorInfo{Name: name, Shape: w.Shape}
		if opts.DTypeFor(name, w.Shape) == modelfile.I4 {
			info.GroupSize = opts.groupSize(name)
		}
		h.Tensors = append(h.Tensors, info)
		data[name] = w.Data
	}
	dtypes := func(name string) modelfile.DType { return opts.DTypeFor(name, ck.Tensors[name].Shape) }
	if err := writeFileAtomic(outPath, func(w *bufio.Writer) error { return modelwriter.Write(w, h, data, dtypes) }); err != nil {
		return nil, fmt.Errorf("convert %s: %w", dir, err)
	}
	return h, nil
}

// writeFileAtomic writes through a temporary file in the same directory and
// renames it into place, so concurrent readers (parallel test binaries
// sharing the cache) see either nothing or the whole file.
func writeFileAtomic(path string, write func(*bufio.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after the rename
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
