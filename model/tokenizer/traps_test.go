package tokenizer_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	. "github.com/wasmbert/wasmbert/model/tokenizer"
)

// specials is the head of every test vocabulary built by hand.
var specials = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

func newTestTokenizer(t *testing.T, c Config) *Tokenizer {
	t.Helper()
	c.Vocab = append(slices.Clone(specials), c.Vocab...)
	tok, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// contentTokens drops [CLS] and the final [SEP].
func contentTokens(e Encoding) []string { return e.Tokens[1 : len(e.Tokens)-1] }

// TestKnownTraps covers mistakes measured in existing Go BERT tokenizers, on the
// all-MiniLM-L6-v2 (uncased) vocabulary.
func TestKnownTraps(t *testing.T) {
	tok := loadDir(t, "uncased")
	tests := []struct {
		name, text string
		want       []string
	}{
		{"NFD strips accents", "café naïve Ångström", []string{"cafe", "naive", "ang", "##strom"}},
		{"NFD on decomposed input", "cafe\u0301", []string{"cafe"}},
		{"hyphen splits", "state-of-the-art", []string{"state", "-", "of", "-", "the", "-", "art"}},
		{"ASCII symbols split", "a$b^c`d|e~f", []string{"a", "$", "b", "^", "c", "`", "d", "|", "e", "~", "f"}},
		{"Unicode punctuation splits", "a…b«c»", []string{"a", "…", "b", "«", "c", "»"}},
		{"symbols that are not punctuation stay", "a€b", []string{"a", "##€", "##b"}},
		{"CJK characters split", "中文", []string{"中", "文"}},
		{"special tokens kept whole", "a[MASK]b [SEP]", []string{"a", "[MASK]", "b", "[SEP]"}},
		{"special tokens match case-sensitively", "[mask]", []string{"[", "mask", "]"}},
		{"control and zero-width removed", "he\u200bllo\x00 wor\ufeffld", []string{"hello", "world"}},
		{"whitespace variants split", "a\u3000b\u00a0c\td\ne", []string{"a", "b", "c", "d", "e"}},
		{"invalid UTF-8 removed", "hel\xfflo", []string{"hello"}},
		{"empty", "", []string{}},
		{"only spaces", " \t\n ", []string{}},
		{"word of 100 characters is split", strings.Repeat("a", 100), nil},
		{"word over 100 characters is unknown", strings.Repeat("a", 101), []string{"[UNK]"}},
		{"word over 100 characters counts characters not bytes", strings.Repeat("é", 60), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := contentTokens(tok.Encode(tt.text, 0))
			if tt.want == nil {
				if slices.Contains(got, "[UNK]") {
					t.Errorf("%q: got %q, want no [UNK]", tt.text, got)
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q: got %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestLongestMatchWholeCharacters checks that word pieces never end inside a
// multi-byte character, even when the vocabulary holds such byte prefixes.
func TestLongestMatchWholeCharacters(t *testing.T) {
	tok := newTestTokenizer(t, Config{
		Vocab: []string{"\xc3", "é", "##x", "\xe6\x97", "日", "##本", "##\xe6", "un", "##aff", "##able", "##a"},
	})
	tests := []struct {
		text string
		want []string
	}{
		{"éx", []string{"é", "##x"}},
		{"日本", []string{"日", "##本"}},
		{"unaffable", []string{"un", "##aff", "##able"}},
		{"unaffablex", []string{"un", "##aff", "##able", "##x"}},
		{"unx", []string{"un", "##x"}},
		{"unb", []string{"[UNK]"}}, // no full split: the whole word is unknown
	}
	for _, tt := range tests {
		e := tok.Encode(tt.text, 0)
		got := contentTokens(e)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.text, got, tt.want)
		}
		for i, o := range e.Offsets {
			if piece := tt.text[o.ByteStart:o.ByteEnd]; !utf8.ValidString(piece) {
				t.Errorf("%q: token %d covers %q, not whole characters", tt.text, i, piece)
			}
		}
	}
}

func TestTruncation(t *testing.T) {
	tok := newTestTokenizer(t, Config{Vocab: []string{"a", "b"}})
	tests := []struct {
		name          string
		a, b          string
		max           int
		wantA, wantB  int // content tokens kept
		wantFull      int
		wantTruncated bool
	}{
		{"no limit", "a a a", "", 0, 3, 0, 5, false},
		{"fits", "a a a", "", 5, 3, 0, 5, false},
		{"single", "a a a a", "", 4, 2, 0, 6, true},
		{"too small for specials is ignored", "a a a", "", 1, 3, 0, 5, false},
		{"pair fits", "a a", "b b", 7, 2, 2, 7, false},
		{"longer second loses first", "a a", "b b b b b", 7, 2, 2, 10, true},
		{"longer first loses first", "a a a a a", "b b", 7, 2, 2, 10, true},
		{"both long: halves, odd extra to second", "a a a a a", "b b b b b", 8, 2, 3, 13, true},
		{"pair too small is ignored", "a a", "b", 2, 2, 1, 6, false},
		{"pair keeps only specials", "a a", "b", 3, 0, 0, 6, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Encoding
			if tt.b == "" {
				e = tok.Encode(tt.a, tt.max)
			} else {
				e = tok.EncodePair(tt.a, tt.b, tt.max)
			}
			var na, nb int
			for i, w := range e.WordIDs {
				if w >= 0 && e.TypeIDs[i] == 0 {
					na++
				} else if w >= 0 {
					nb++
				}
			}
			if na != tt.wantA || nb != tt.wantB || e.FullLength != tt.wantFull || e.Truncated != tt.wantTruncated {
				t.Errorf("got %d+%d tokens, full %d, truncated %v; want %d+%d, %d, %v",
					na, nb, e.FullLength, e.Truncated, tt.wantA, tt.wantB, tt.wantFull, tt.wantTruncated)
			}
			if len(e.IDs) != len(e.Mask) || len(e.IDs) != len(e.TypeIDs) || len(e.IDs) != len(e.Tokens) {
				t.Errorf("lengths differ: %d ids, %d mask, %d type ids, %d tokens", len(e.IDs), len(e.Mask), len(e.TypeIDs), len(e.Tokens))
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		c    Config
	}{
		{"empty vocabulary", Config{}},
		{"missing [UNK]", Config{Vocab: []string{"[PAD]", "[CLS]", "[SEP]", "[MASK]"}}},
		{"missing extra special", Config{Vocab: specials, ExtraSpecialTokens: []string{"<x>"}}},
		{"negative word length", Config{Vocab: specials, MaxInputCharsPerWord: -1}},
	}
	for _, tt := range tests {
		if _, err := New(tt.c); err == nil {
			t.Errorf("%s: New succeeded, want an error", tt.name)
		}
	}
}

// TestHugeInput encodes about a megabyte, including a single enormous word, to show that
// long inputs are truncated rather than rejected.
func TestHugeInput(t *testing.T) {
	tok := loadDir(t, "uncased")
	tests := []string{
		strings.Repeat("naïve café, state-of-the-art 中文! ", 1<<14),
		strings.Repeat("x", 1<<20),
		strings.Repeat("\xff\u200b", 1<<18),
	}
	for _, text := range tests {
		e := tok.Encode(text, 256)
		if len(e.IDs) > 256 || e.FullLength < len(e.IDs) {
			t.Errorf("%d bytes: %d tokens of %d", len(text), len(e.IDs), e.FullLength)
		}
	}
}
