package modelfile

import "github.com/wasmbert/wasmbert/model/tokenizer"

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
