package modelfile

import (
	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

// WordPieceHeader is the header record of a WordPiece tokenizer: every
// field of c, and sentence-transformers' max_seq_length beside it.
func WordPieceHeader(c tokenizer.Config, maxSeqLength int) TokenizerConfig {
	return TokenizerConfig{
		Type:                 TokenizerWordPiece,
		Vocab:                c.Vocab,
		DoLowerCase:          c.DoLowerCase,
		StripAccents:         c.StripAccents,
		TokenizeChineseChars: c.TokenizeChineseChars,
		KeepControlChars:     c.KeepControlChars,
		MaxInputCharsPerWord: c.MaxInputCharsPerWord,
		UnkToken:             c.UnkToken,
		SepToken:             c.SepToken,
		PadToken:             c.PadToken,
		ClsToken:             c.ClsToken,
		MaskToken:            c.MaskToken,
		AddedTokens:          c.ExtraSpecialTokens,
		ModelMaxLength:       c.ModelMaxLength,
		MaxSeqLength:         maxSeqLength,
	}
}

// WordPiece is the tokenizer.Config a WordPiece header record describes,
// the inverse of WordPieceHeader.
func (c *TokenizerConfig) WordPiece() tokenizer.Config {
	return tokenizer.Config{
		Vocab:                c.Vocab,
		DoLowerCase:          c.DoLowerCase,
		StripAccents:         c.StripAccents,
		TokenizeChineseChars: c.TokenizeChineseChars,
		KeepControlChars:     c.KeepControlChars,
		MaxInputCharsPerWord: c.MaxInputCharsPerWord,
		UnkToken:             c.UnkToken,
		ClsToken:             c.ClsToken,
		SepToken:             c.SepToken,
		PadToken:             c.PadToken,
		MaskToken:            c.MaskToken,
		ExtraSpecialTokens:   c.AddedTokens,
		ModelMaxLength:       c.ModelMaxLength,
	}
}

// PipelineHeader is the header record of a BPE or Unigram tokenizer: its
// vocabulary in Vocab, the rest of s in Pipeline, and the lengths beside
// them (0 if unknown).
func PipelineHeader(s *tokenizer.PipelineSpec, modelMaxLength, maxSeqLength int) TokenizerConfig {
	rec := *s
	rec.Vocab = nil
	return TokenizerConfig{Type: s.Model, Vocab: s.Vocab, Pipeline: &rec,
		ModelMaxLength: modelMaxLength, MaxSeqLength: maxSeqLength}
}

// PipelineSpec is the pipeline a BPE or Unigram header record describes,
// the inverse of PipelineHeader.
func (c *TokenizerConfig) PipelineSpec() (*tokenizer.PipelineSpec, error) {
	if c.Pipeline == nil || c.Pipeline.Model != c.Type {
		return nil, errfmt.Errorf("tokenizer type %s without its pipeline record", c.Type)
	}
	s := *c.Pipeline
	s.Vocab = c.Vocab
	return &s, nil
}
