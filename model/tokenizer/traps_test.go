package tokenizer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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

// TestVocabIDs checks that ids are line numbers from 0, whatever the line endings.
func TestVocabIDs(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"trailing newline", "a\nb\nc\n", []string{"a", "b", "c"}},
		{"no trailing newline", "a\nb\nc", []string{"a", "b", "c"}},
		{"CRLF", "a\r\nb\r\nc\r\n", []string{"a", "b", "c"}},
		{"empty line is a token", "a\n\nc\n", []string{"a", "", "c"}},
		{"spaces kept", " a\nb \n", []string{" a", "b "}},
	}
	for _, tt := range tests {
		got, err := ReadVocab(strings.NewReader(tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}

	// Every token of the real vocabulary maps back to its line number.
	b, err := os.ReadFile(filepath.Join("testdata", "uncased", "vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for _, dir := range []string{"uncased"} {
		tok := loadDir(t, dir)
		if tok.VocabSize() != len(lines) {
			t.Errorf("%s: vocab size %d, file has %d lines", dir, tok.VocabSize(), len(lines))
		}
		for i, line := range lines {
			if id, ok := tok.TokenID(line); !ok || int(id) != i || tok.Token(id) != line {
				t.Errorf("%s: TokenID(%q) = %d, %v; want %d", dir, line, id, ok, i)
			}
		}
		if tok.ClsID() != int32(slices.Index(lines, "[CLS]")) || tok.SepID() != int32(slices.Index(lines, "[SEP]")) ||
			tok.UnkID() != int32(slices.Index(lines, "[UNK]")) || tok.PadID() != int32(slices.Index(lines, "[PAD]")) ||
			tok.MaskID() != int32(slices.Index(lines, "[MASK]")) {
			t.Errorf("%s: special ids do not match their vocab.txt lines", dir)
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

func TestLoadDirErrors(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	good, err := os.ReadFile(filepath.Join("testdata", "cased", "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"empty directory", nil},
		{"truncated tokenizer.json", map[string]string{"tokenizer.json": string(good[:len(good)/2])}},
		{"not JSON", map[string]string{"tokenizer.json": "\x00\x01garbage"}},
		{"BPE model", map[string]string{"tokenizer.json": `{"model":{"type":"BPE","vocab":{}},"pre_tokenizer":{"type":"BertPreTokenizer"}}`}},
		{"gap in ids", map[string]string{"tokenizer.json": `{"model":{"type":"WordPiece","continuing_subword_prefix":"##","vocab":{"[UNK]":0,"a":5}},"pre_tokenizer":{"type":"BertPreTokenizer"}}`}},
		{"negative id", map[string]string{"tokenizer.json": `{"model":{"type":"WordPiece","continuing_subword_prefix":"##","vocab":{"[UNK]":-1}},"pre_tokenizer":{"type":"BertPreTokenizer"}}`}},
		{"bad tokenizer_config.json", map[string]string{"vocab.txt": strings.Join(specials, "\n"), "tokenizer_config.json": "{"}},
		{"empty vocab.txt", map[string]string{"vocab.txt": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadDir(write(t, tt.files)); err == nil {
				t.Error("LoadDir succeeded, want an error")
			}
		})
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
