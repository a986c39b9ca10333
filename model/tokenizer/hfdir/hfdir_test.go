package hfdir

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

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
	b, err := os.ReadFile(filepath.Join("..", "testdata", "uncased", "vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for _, dir := range []string{"uncased"} {
		tok, err := Load(filepath.Join("..", "testdata", dir))
		if err != nil {
			t.Fatal(err)
		}
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

func TestLoadErrors(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	good, err := os.ReadFile(filepath.Join("..", "testdata", "cased", "tokenizer.json"))
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
		{"bad tokenizer_config.json", map[string]string{"vocab.txt": "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]", "tokenizer_config.json": "{"}},
		{"empty vocab.txt", map[string]string{"vocab.txt": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(write(t, tt.files)); err == nil {
				t.Error("Load succeeded, want an error")
			}
		})
	}
}
