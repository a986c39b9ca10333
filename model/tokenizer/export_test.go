package tokenizer

// DecodeRune lets the external tests (which live outside the package so they
// can load directories through hfdir) count characters as the tokenizer does.
var DecodeRune = decodeRune
