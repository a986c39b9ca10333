//go:build !wasmbert_core

package engine

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// newPipeline builds a BPE or Unigram tokenizer from its pipeline record.
// Its ids must all have a row in the word table.
func newPipeline(c *modelfile.TokenizerConfig, vocabSize int) (tokenizer.Encoder, error) {
	spec, err := c.PipelineSpec()
	if err != nil {
		return nil, err
	}
	p, err := spec.Build()
	if err != nil {
		return nil, err
	}
	if p.VocabSize() > vocabSize {
		return nil, errfmt.Errorf("tokenizer has %d tokens, the model's word table %d", p.VocabSize(), vocabSize)
	}
	return p, nil
}
