// Package xlnetdir loads a Hugging Face XLNet directory (config.json,
// model.safetensors or pytorch_model.bin, tokenizer.json) and embeds texts
// with it as transformers and sentence-transformers do: XLNet's tokenizer
// (text, <sep>, <cls> at the end), left padding with segment id 3, the
// encoder, then mean or last-token pooling over the real tokens.
//
// It is a package of its own so that the encoder, which the browser engine
// may link, does not bring encoding/json and os with it.
package xlnetdir

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/pooling"
	"github.com/wasmbert/wasmbert/model/tokenizer"
	"github.com/wasmbert/wasmbert/model/tokenizer/hfdir"
	"github.com/wasmbert/wasmbert/model/xlnet"
)

// padTypeID is the segment id XLNetTokenizer gives padding, apart from both
// texts (0, 1) and <cls> (2).
const padTypeID = 3

// Embedder is a loaded XLNet checkpoint. It is safe for concurrent use.
type Embedder struct {
	Model     *xlnet.Model
	Tokenizer *tokenizer.Pipeline
	// Pooling and Normalize are the directory's sentence-transformers
	// modules (modules.json), mean and false without them.
	Pooling   pooling.Mode
	Normalize bool
	padID     int32
}

// IsXLNet reports whether config.json in dir declares model_type "xlnet".
func IsXLNet(dir string) bool { return checkpoint.IsXLNet(dir) }

// Load reads the XLNet checkpoint in dir. Weights of an XLNet model with a
// head (XLNetLMHeadModel, …) are read from under their "transformer."
// prefix; the head is ignored.
func Load(dir string) (*Embedder, error) {
	cfg, err := checkpoint.ReadXLNetConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("load xlnet %s: %w", dir, err)
	}
	tok, err := hfdir.LoadPipeline(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return nil, fmt.Errorf("load xlnet %s: %w", dir, err)
	}
	if tok.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("load xlnet %s: tokenizer.json has %d tokens, config.json vocab_size is %d", dir, tok.VocabSize(), cfg.VocabSize)
	}
	raw, file, err := checkpoint.ReadWeights(dir)
	if err != nil {
		return nil, fmt.Errorf("load xlnet %s: %w", dir, err)
	}
	tensors := make(map[string]xlnet.Tensor, len(raw))
	for name, w := range raw {
		tensors[strings.TrimPrefix(name, "transformer.")] = xlnet.Tensor{Shape: w.Shape, Data: w.Data}
	}
	m, err := xlnet.New(cfg, tensors)
	if err != nil {
		return nil, fmt.Errorf("load xlnet %s: %s: %w", dir, file, err)
	}
	mode, normalize, err := readModules(dir)
	if err != nil {
		return nil, fmt.Errorf("load xlnet %s: %w", dir, err)
	}
	e := &Embedder{Model: m, Tokenizer: tok, Pooling: mode, Normalize: normalize, padID: int32(cfg.PadTokenID)}
	if id, ok := tok.TokenID("<pad>"); ok {
		e.padID = id
	}
	return e, nil
}

// Options configure Embed.
type Options struct {
	// Pooling is pooling.Mean, pooling.LastToken, pooling.Max or pooling.CLS; ""
	// means the Embedder's.
	Pooling pooling.Mode
	// Normalize scales each vector to unit length (whatever the Embedder's
	// Normalize says).
	Normalize bool
	// MaxLength truncates each text to this many tokens, <sep> and <cls>
	// included; 0 means no limit.
	MaxLength int
}

// Embed returns one vector per text, the texts run as one left-padded batch.
func (e *Embedder) Embed(texts []string, o Options) ([][]float32, error) {
	encs := make([]tokenizer.Encoding, len(texts))
	for i, t := range texts {
		encs[i] = e.Tokenizer.Encode(t, o.MaxLength)
	}
	return e.EmbedEncodings(encs, o)
}

// EmbedEncodings embeds already tokenized texts or pairs (Tokenizer.Encode,
// Tokenizer.EncodePair) as one batch padded on the left.
func (e *Embedder) EmbedEncodings(encs []tokenizer.Encoding, o Options) ([][]float32, error) {
	if len(encs) == 0 {
		return nil, nil
	}
	mode := o.Pooling
	if mode == "" {
		mode = e.Pooling
	}
	if _, err := pooling.ParseMode(string(mode)); err != nil {
		return nil, fmt.Errorf("xlnet embed: %w", err)
	}
	in := e.Batch(encs)
	var ws xlnet.Workspace
	out, err := e.Model.Forward(&ws, in)
	if err != nil {
		return nil, fmt.Errorf("xlnet embed: %w", err)
	}
	d := e.Model.Config().DModel
	s := in.SeqLen
	vecs := make([][]float32, len(encs))
	for b := range vecs {
		vecs[b] = make([]float32, d)
		hidden, mask := out.Last[b*s*d:(b+1)*s*d], in.Mask[b*s:(b+1)*s]
		if err := pooling.Pool(vecs[b], mode, hidden, mask, s, d); err != nil {
			return nil, fmt.Errorf("xlnet embed: %w", err)
		}
		if o.Normalize {
			pooling.Normalize(vecs[b])
		}
	}
	return vecs, nil
}

// Batch pads encodings on the left to the longest, as XLNetTokenizer pads:
// <pad> ids, segment id 3, mask 0.
func (e *Embedder) Batch(encs []tokenizer.Encoding) xlnet.Input {
	s := 0
	for _, enc := range encs {
		s = max(s, len(enc.IDs))
	}
	in := xlnet.Input{Batch: len(encs), SeqLen: s}
	n := len(encs) * s
	in.IDs, in.TypeIDs, in.Mask = make([]int32, n), make([]int32, n), make([]int32, n)
	for b, enc := range encs {
		pad := s - len(enc.IDs)
		row := b * s
		for t := range pad {
			in.IDs[row+t], in.TypeIDs[row+t] = e.padID, padTypeID
		}
		copy(in.IDs[row+pad:], enc.IDs)
		copy(in.TypeIDs[row+pad:], enc.TypeIDs)
		for t := pad; t < s; t++ {
			in.Mask[row+t] = 1
		}
	}
	return in
}
