package engine

import (
	"errors"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/bert"
)

// Split connects one of several workers that embed one text together
// (see EmbedPart).
type Split struct {
	Part     bert.Part
	Exchange bert.Exchange
	// MinTokens is the shortest sequence worth splitting, special tokens
	// included: below it part 0 encodes the text alone and the other parts
	// return at once, since for short texts the exchange costs more than
	// the parts save (docs/design.md, "One text on every worker").
	MinTokens int
}

// errSatOut ends the pipeline of a part that sits out a text shorter than
// MinTokens.
var errSatOut = errors.New("text left to part 0")

// EmbedPart embeds one text with sp.Part.Count workers (Engines loaded with
// the same model, usually in different threads), each calling EmbedPart with
// the same text and options, its own Part, and Exchanges connected to one
// another. Every part that took part returns the Embedding Embed would
// return; a part that sat out a short text returns nil and no error.
//
// Chunking is refused: it encodes a text as several sequences, and a split
// forward takes one.
func (e *Engine) EmbedPart(text string, o EmbedOptions, sp Split) (*Embedding, error) {
	if o.Chunk != nil {
		return nil, errfmt.Errorf("embed part: chunked texts are not split")
	}
	if sp.Exchange == nil {
		return nil, errfmt.Errorf("embed part: no exchange")
	}
	m, ok := e.enc.(*bertEncoder)
	if !ok {
		return nil, errfmt.Errorf("embed part: an XLNet model is not split (the split forward runs BERT-family encoders only)")
	}
	satOut := false
	forward := func(ws any, in bert.Input) (bert.Output, error) {
		switch {
		case in.SeqLen >= sp.MinTokens:
			return m.ForwardPart(ws.(*bert.Workspace), in, sp.Part, sp.Exchange)
		case sp.Part.Index == 0:
			return m.Forward(ws.(*bert.Workspace), in)
		}
		satOut = true
		return bert.Output{}, errSatOut
	}
	embs, err := e.embed([]string{text}, o, forward)
	if satOut {
		return nil, nil
	}
	if err != nil {
		return nil, errfmt.Errorf("part %d of %d: %w", sp.Part.Index, sp.Part.Count, err)
	}
	return &embs[0], nil
}
