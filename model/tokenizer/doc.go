// Package tokenizer is the BERT WordPiece tokenizer, behaving exactly like Hugging Face
// BertTokenizerFast (tokenizers' BertNormalizer, BertPreTokenizer and WordPiece models with
// the BERT template post-processor).
//
// Encoding a text goes through these steps, each matching the reference:
//
//   - special tokens ([CLS], [SEP], [PAD], [UNK], [MASK] and added tokens of tokenizer.json)
//     are matched in the original text, leftmost-longest, and kept whole;
//   - the rest is normalized: control and format characters, U+0000 and U+FFFD removed,
//     whitespace mapped to a space, CJK ideographs surrounded by spaces, NFD with nonspacing
//     marks removed (strip_accents; nil follows do_lower_case), lowercased;
//   - it is split on whitespace and around every punctuation character (all ASCII symbols
//     and Unicode P*);
//   - each word is split into the longest vocabulary entries from its start, later pieces
//     with the "##" prefix; a word with no split, or longer than MaxInputCharsPerWord
//     characters, becomes the unknown token;
//   - [CLS] A [SEP] (B [SEP]) are added after truncation (longest_first for pairs).
//
// Character classes come from tables generated from the reference (go generate): the
// reference uses older Unicode tables than Go's unicode package, and the two disagree on a
// few hundred code points (newer punctuation, format characters and marks).
//
// Offsets index the original text, in bytes and in characters (code points). Invalid UTF-8
// is read as Python reads bytes decoded with errors="replace": each maximal invalid
// subsequence is one U+FFFD character, which normalization then removes. Character offsets
// therefore match those the reference gives for the decoded string.
//
// Two behaviours of the transformers tokenizer call are kept so that results match it:
// EncodePair with an empty second text encodes the first alone, and a maximum length too
// small to hold the special tokens disables truncation.
//
// Use:
//
//	tok, err := hfdir.Load(dir)         // package hfdir: tokenizer.json, or vocab.txt + tokenizer_config.json
//	tok, err := tokenizer.New(cfg)      // Config as stored in a model file; tok.Config() returns it
//	enc := tok.Encode(text, 256)         // [CLS] text [SEP], at most 256 tokens
//	enc := tok.EncodePair(q, p, 256)     // [CLS] q [SEP] p [SEP], type ids 0 then 1
//
// A Tokenizer is immutable and safe for concurrent use.
package tokenizer
