// The tests that load tokenizer directories live in package tokenizer_test,
// because hfdir imports tokenizer; they dot-import it to read as if inside.
package tokenizer_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	. "github.com/wasmbert/wasmbert/model/tokenizer"
	"github.com/wasmbert/wasmbert/model/tokenizer/hfdir"
)

// fixture is one encoding by HF BertTokenizerFast (tools/reference/make_tokenizer_fixtures.py).
type fixture struct {
	Text        string   `json:"text"`
	TextB64     string   `json:"text_b64"`
	Pair        *string  `json:"pair"`
	MaxLength   int      `json:"max_length"`
	IDs         []int32  `json:"ids"`
	Tokens      []string `json:"tokens"`
	Offsets     [][2]int `json:"offsets"`
	TypeIDs     []int32  `json:"type_ids"`
	Mask        []int32  `json:"mask"`
	WordIDs     []int    `json:"word_ids"`
	FullLength  int      `json:"full_length"`
	SlowDiffers bool     `json:"slow_differs"`
}

func readFixtures(t *testing.T, name string) []fixture {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fs []fixture
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var fx fixture
		if err := json.Unmarshal(sc.Bytes(), &fx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fx.TextB64 != "" {
			b, err := base64.StdEncoding.DecodeString(fx.TextB64)
			if err != nil {
				t.Fatal(err)
			}
			fx.Text = string(b)
		}
		fs = append(fs, fx)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return fs
}

// variantTokenizer builds a tokenizer from the vocab.txt of a base directory and
// the tokenizer_config.json of a variant, put together in a temporary directory.
func variantTokenizer(t *testing.T, base, variant string) *Tokenizer {
	t.Helper()
	dir := t.TempDir()
	for _, f := range [][2]string{{base, "vocab.txt"}, {variant, "tokenizer_config.json"}} {
		b, err := os.ReadFile(filepath.Join("testdata", f[0], f[1]))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f[1]), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := hfdir.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// patchedDir writes the tokenizer.json of base with the variant's
// tokenizer_patch.json applied (tools/reference/make_tokenizer_json_variants.py
// applies the same), and base's tokenizer_config.json, to a temporary directory.
func patchedDir(t testing.TB, base, variant string) string {
	t.Helper()
	var doc, patch map[string]any
	for _, f := range []struct {
		path string
		v    *map[string]any
	}{{filepath.Join(base, "tokenizer.json"), &doc}, {filepath.Join(variant, "tokenizer_patch.json"), &patch}} {
		b, err := os.ReadFile(filepath.Join("testdata", f.path))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, f.v); err != nil {
			t.Fatal(err)
		}
	}
	mergePatch(doc, patch)
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg, err := os.ReadFile(filepath.Join("testdata", base, "tokenizer_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"tokenizer.json": js, "tokenizer_config.json": cfg} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// mergePatch merges objects key by key; any other value, null included, replaces.
func mergePatch(doc, patch map[string]any) {
	for k, v := range patch {
		sub, ok := v.(map[string]any)
		if dst, isObj := doc[k].(map[string]any); ok && isObj {
			mergePatch(dst, sub)
			continue
		}
		doc[k] = v
	}
}

func loadPatched(t *testing.T, variant string) *Tokenizer {
	t.Helper()
	tok, err := hfdir.Load(patchedDir(t, "uncased", variant))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func loadDir(t *testing.T, dir string) *Tokenizer {
	t.Helper()
	tok, err := hfdir.Load(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestReferenceFixtures(t *testing.T) {
	tests := []struct {
		name, fixtures string
		tok            func(t *testing.T) *Tokenizer
	}{
		{"uncased/tokenizer.json", "uncased", func(t *testing.T) *Tokenizer { return loadDir(t, "uncased") }},
		{"uncased/vocab.txt", "uncased", func(t *testing.T) *Tokenizer { return variantTokenizer(t, "uncased", "uncased") }},
		{"cased/tokenizer.json", "cased", func(t *testing.T) *Tokenizer { return loadDir(t, "cased") }},
		{"cased/vocab.txt", "cased", func(t *testing.T) *Tokenizer { return variantTokenizer(t, "cased", "cased") }},
		{"cased_strip", "cased_strip", func(t *testing.T) *Tokenizer { return variantTokenizer(t, "cased", "cased_strip") }},
		{"bert-base-chinese vocab.txt", "chinese", func(t *testing.T) *Tokenizer { return variantTokenizer(t, "chinese", "chinese") }},
		{"uncased_nocjk", "uncased_nocjk", func(t *testing.T) *Tokenizer { return variantTokenizer(t, "uncased", "uncased_nocjk") }},
		{"uncased_keepaccents", "uncased_keepaccents", func(t *testing.T) *Tokenizer {
			return variantTokenizer(t, "uncased", "uncased_keepaccents")
		}},
		{"tokenizer.json normalizer null", "uncased_nonormalizer", func(t *testing.T) *Tokenizer { return loadPatched(t, "uncased_nonormalizer") }},
		{"tokenizer.json clean_text false", "uncased_noclean", func(t *testing.T) *Tokenizer { return loadPatched(t, "uncased_noclean") }},
		{"tokenizer.json max_input_chars_per_word 8", "uncased_maxchars8", func(t *testing.T) *Tokenizer { return loadPatched(t, "uncased_maxchars8") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.tok(t)
			fixtures := readFixtures(t, tt.fixtures)
			failed := 0
			for _, fx := range fixtures {
				var got Encoding
				if fx.Pair != nil {
					got = tok.EncodePair(fx.Text, *fx.Pair, fx.MaxLength)
				} else {
					got = tok.Encode(fx.Text, fx.MaxLength)
				}
				if msg := compareFixture(&fx, &got); msg != "" {
					failed++
					if failed <= 10 {
						t.Errorf("text %q pair %v max %d: %s", fx.Text, fx.Pair, fx.MaxLength, msg)
					}
				}
			}
			if failed > 0 {
				t.Errorf("%d of %d encodings differ from the reference", failed, len(fixtures))
			}
		})
	}
}

func compareFixture(fx *fixture, got *Encoding) string {
	offsets := make([][2]int, len(got.Offsets))
	for i, o := range got.Offsets {
		offsets[i] = [2]int{o.CharStart, o.CharEnd}
	}
	switch {
	case !slices.Equal(got.IDs, fx.IDs):
		return diff("ids", got.IDs, fx.IDs) + diff(" tokens", got.Tokens, fx.Tokens)
	case !slices.Equal(got.Tokens, fx.Tokens):
		return diff("tokens", got.Tokens, fx.Tokens)
	case !slices.Equal(offsets, fx.Offsets):
		return diff("char offsets", offsets, fx.Offsets)
	case !slices.Equal(got.TypeIDs, fx.TypeIDs):
		return diff("type ids", got.TypeIDs, fx.TypeIDs)
	case !slices.Equal(got.Mask, fx.Mask):
		return diff("mask", got.Mask, fx.Mask)
	case !slices.Equal(got.WordIDs, fx.WordIDs):
		return diff("word ids", got.WordIDs, fx.WordIDs)
	case got.FullLength != fx.FullLength:
		return diff("full length", got.FullLength, fx.FullLength)
	case got.Truncated != (fx.FullLength > len(fx.IDs)):
		return diff("truncated", got.Truncated, fx.FullLength > len(fx.IDs))
	}
	return checkByteOffsets(fx, got)
}

// checkByteOffsets checks that byte and character offsets locate the same text.
func checkByteOffsets(fx *fixture, got *Encoding) string {
	for i, o := range got.Offsets {
		if got.WordIDs[i] < 0 {
			continue
		}
		src := fx.Text
		if fx.Pair != nil && got.TypeIDs[i] == 1 {
			src = *fx.Pair
		}
		if bs := byteOffset(src, o.CharStart); bs != o.ByteStart {
			return diff("byte start", o.ByteStart, bs)
		}
		if be := byteOffset(src, o.CharEnd); be != o.ByteEnd {
			return diff("byte end", o.ByteEnd, be)
		}
	}
	return ""
}

func byteOffset(s string, chars int) int {
	off := 0
	for ; chars > 0; chars-- {
		_, n := DecodeRune(s[off:])
		off += n
	}
	return off
}

func diff(what string, got, want any) string {
	b1, _ := json.Marshal(got)
	b2, _ := json.Marshal(want)
	return what + ": got " + string(b1) + ", want " + string(b2)
}
