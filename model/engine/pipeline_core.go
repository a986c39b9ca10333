//go:build wasmbert_core

package engine

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// newPipeline is the core build's stand-in: the BPE and Unigram pipelines
// (with their Unicode normalizers) are not linked, so the model is refused
// by name before any weight is read.
func newPipeline(c *modelfile.TokenizerConfig, _ int) (tokenizer.Encoder, error) {
	return nil, errfmt.Errorf("%w (wasmbert-families.wasm): its tokenizer is %s, this core build runs %s only",
		ErrNeedsFamilies, c.Type, modelfile.TokenizerWordPiece)
}
