//go:build wasmbert_core

package engine

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// newXLNetBuilder is the core build's stand-in: the XLNet encoder is linked
// into the families build only (an XLNet model's Unigram tokenizer needs
// that build anyway), so the model is refused by name.
func newXLNetBuilder(*modelfile.Header) (encoderBuilder, error) {
	return nil, errfmt.Errorf("%w (wasmbert-families.wasm): its model type is %s, this core build runs BERT-family encoders only",
		ErrNeedsFamilies, modelfile.ModelTypeXLNet)
}
