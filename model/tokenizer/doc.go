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
//
// # BPE and Unigram
//
// Pipeline is the tokenizers pipeline of RoBERTa-style byte-level BPE and XLM-R-style
// SentencePiece Unigram tokenizers, built from tokenizer.json (hfdir.LoadPipeline, or
// hfdir.LoadEncoder for any family). It reproduces the reference step by step, offsets
// included:
//
//   - added tokens are matched leftmost-longest, those with normalized=false in the
//     original text, then the rest is normalized and the normalized ones are matched;
//     lstrip, rstrip and single_word behave as in tokenizers;
//   - normalizers: Precompiled (SentencePiece's charsmap, e.g. nmt_nfkc, applied grapheme
//     by grapheme as tokenizers does), Replace (strings and c{n,} patterns), Strip, NFKD,
//     StripAccents and Lowercase (XLNet's);
//   - pre-tokenizers: ByteLevel (GPT-2's pattern with the reference's Unicode classes,
//     add_prefix_space, bytes mapped to printable characters), Metaspace (▁ and its
//     prepend_scheme), WhitespaceSplit;
//   - models: BPE (merges by rank, byte fallback, unknown-token fusing) and Unigram
//     (Viterbi over piece scores, unknown characters fused, byte fallback);
//   - post-processors: RobertaProcessing (<s> A </s></s> B </s>, trim_offsets) and
//     TemplateProcessing; truncation before them, longest first for pairs.
//
// Every normalization step records, for each normalized byte, the original range it came
// from, with tokenizers' bookkeeping and its quirks, so offsets map back exactly.
// Encoder is the interface both Tokenizer and Pipeline implement.
package tokenizer
