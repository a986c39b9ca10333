package modelfile_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/tokenizer"

	. "github.com/wasmbert/wasmbert/model/modelfile"
)

// fullHeader returns a header with every field set, strings that need
// escaping, and floats on both sides of encoding/json's exponent cut-offs.
func fullHeader(eps float64) *Header {
	yes := true
	return &Header{
		Format: FormatName, Version: Version,
		Model: BertConfig{VocabSize: 5, HiddenSize: 384, NumHiddenLayers: 6, NumAttentionHeads: 12,
			IntermediateSize: 1536, MaxPositionEmbeddings: 512, TypeVocabSize: 2, LayerNormEps: eps,
			HiddenAct: "gelu", PadTokenID: 3, ModelType: ModelTypeXLNet},
		Tokenizer: TokenizerConfig{
			Type:        TokenizerWordPiece,
			Vocab:       []string{"[PAD]", `q"uote\back`, "<html>&amp;", "\x00\x01\b\f\n\r\t\x1f\x7f", "é日本\u2028\u2029😀", "bad\xffutf8\xc3", ""},
			DoLowerCase: true, StripAccents: &yes, TokenizeChineseChars: true,
			KeepControlChars: true, MaxInputCharsPerWord: 200,
			UnkToken: "[UNK]", SepToken: "[SEP]", PadToken: "[PAD]", ClsToken: "[CLS]", MaskToken: "[MASK]",
			AddedTokens:    []string{"[PAD]", "/slash"},
			ModelMaxLength: 512, MaxSeqLength: 256,
			Pipeline: &tokenizer.PipelineSpec{
				Model: "bpe", Merges: []int32{0, 1, 2, 3}, UnkToken: "<unk>", ContinuingSubwordPrefix: "##",
				EndOfWordSuffix: "</w>", FuseUnk: true, IgnoreMerges: true, ByteFallback: true,
				Scores: []float64{-1.5, 0, -1e-7, -30.25}, UnkID: 3,
				Normalizers: []tokenizer.NormalizerSpec{{Type: "precompiled", Charsmap: []byte{0, 1, 2, 250}, Pattern: "  ",
					Content: "▁<&>", Left: true, Right: true}},
				PreTokenizers: []tokenizer.PreTokenizerSpec{{Type: "metaspace", AddPrefixSpace: true, UseRegex: true,
					Replacement: "▁", Prepend: "first", Split: true}},
				Added: []tokenizer.AddedToken{{ID: 4, Content: "<mask>", Special: true, SingleWord: true, LStrip: true,
					RStrip: true, Normalized: true}},
				Single:      []tokenizer.TemplateSpec{{IDs: []int32{0}}, {Sequence: "A", TypeID: 0}, {IDs: []int32{2, 2}, TypeID: 1}},
				Pair:        []tokenizer.TemplateSpec{{Sequence: "B", TypeID: 1}},
				TrimOffsets: true, AddPrefixSpace: true,
			},
		},
		Pooling: PoolingConfig{Mode: "cls", Normalize: true},
		Tensors: []TensorInfo{
			{Name: "a", DType: F32, Shape: []int{5, 384}, Offset: 0, Size: 7680, CRC32C: 1<<32 - 1},
			{Name: "b", DType: I4, Shape: []int{3, 7}, Offset: 7680, Size: 24, CRC32C: 12345, GroupSize: 4},
			{Name: "c", DType: F16},
		},
		Source:  map[string]string{"z": "last", "a": "first", "dropped_heads": "cls.predictions.bias"},
		Prompts: map[string]string{"query": "Represent this sentence: ", "passage": "passage: ", "empty": "", "cjk": "查询：<b>"},
		XLNet:   &XLNetConfig{DHead: 64, ClampLen: -1},
	}
}

// TestHeaderFieldsAllSet guards fullHeader itself: every field non-zero.
func TestHeaderFieldsAllSet(t *testing.T) {
	var check func(path string, v reflect.Value)
	check = func(path string, v reflect.Value) {
		if v.Kind() == reflect.Struct {
			for i := range v.NumField() {
				check(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
			return
		}
		if v.IsZero() {
			t.Errorf("fullHeader leaves %s zero", path)
		}
	}
	h := fullHeader(1e-12)
	check("Header", reflect.ValueOf(*h))
	check("Header.XLNet", reflect.ValueOf(*h.XLNet))
	check("Tensors[1]", reflect.ValueOf(h.Tensors[1]))
}

// TestHeaderDecodeRoundTrip decodes what encoding/json (modelwriter)
// writes and compares with encoding/json's reading of the same bytes.
func TestHeaderDecodeRoundTrip(t *testing.T) {
	tiny, _ := tinyModel()
	for _, h := range []*Header{tiny, fullHeader(1e-12), fullHeader(0), {}} {
		b, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		// Whitespace where JSON allows it, and the trailing padding.
		spaced := strings.NewReplacer(`,"`, " ,\n\t\"", `":`, "\" :\r ", `[`, "[ ", `]`, " ]").Replace(string(b)) + "   "
		for _, in := range []string{string(b), spaced} {
			got, err := DecodeHeader([]byte(in))
			if err != nil {
				t.Fatalf("DecodeHeader(%.80s...): %v", in, err)
			}
			var want Header
			if err := json.Unmarshal([]byte(in), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("decodeHeader = %+v\nencoding/json = %+v", got, &want)
			}
		}
	}
}

// TestHeaderDecodeEscapes reads escapes encoding/json never writes.
func TestHeaderDecodeEscapes(t *testing.T) {
	in := `{"format":"a\/b\"\\\b\f\n\r\t\u00e9\u00E9\ud83d\ude00\u0000"}`
	h, err := DecodeHeader([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a/b\"\\\b\f\n\r\téé😀\x00"; h.Format != want {
		t.Errorf("format %q, want %q", h.Format, want)
	}
}

func TestHeaderDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{``, `header byte 0: want an object, got end of header`},
		{`[]`, `header byte 0: want an object, got array`},
		{`{"format":"wasmbert"} x`, `header byte 22: data after the header object`},
		{`{"format":"wasmbert",}`, `header byte 21: want a key string, got '}'`},
		{`{"format" "x"}`, `header byte 10: want ':' after key "format", got string`},
		{`{"format":"x" "version":1}`, `header byte 14: want ',' or '}' after "format", got string`},
		{`{"Format":"x"}`, `header byte 10: Format: unknown key "Format"`},
		{`{"format":"x","format":"y"}`, `header byte 14: key "format" repeated`},
		{`{"format":1}`, `header byte 10: format: want a string, got number`},
		{`{"version":"1"}`, `header byte 11: version: want a number, got string`},
		{`{"version":1.5}`, `header byte 11: version: want an integer, got 1.5`},
		{`{"version":1e3}`, `header byte 11: version: want an integer, got 1e3`},
		{`{"version":01}`, `header byte 12: want ',' or '}' after "version", got number`},
		{`{"version":-}`, `header byte 11: version: malformed number`},
		{`{"version":99999999999999999999}`, `header byte 11: version: integer 99999999999999999999 out of range`},
		{`{"model":{"layer_norm_eps":1e999}}`, `header byte 27: model.layer_norm_eps: number 1e999 out of range`},
		{`{"model":{"layer_norm_eps":1.}}`, `header byte 27: model.layer_norm_eps: malformed number`},
		{`{"model":{"hidden_act":nul}}`, `header byte 23: model.hidden_act: want a string, got null`},
		{`{"tokenizer":{"vocab":["a",2]}}`, `header byte 27: tokenizer.vocab[1]: want a string, got number`},
		{`{"tokenizer":{"vocab":["a" "b"]}}`, `header byte 27: tokenizer.vocab: want ',' or ']' after element 0, got string`},
		{"{\"tokenizer\":{\"vocab\":[\"a\xffb\"]}}", `header byte 25: tokenizer.vocab[0]: invalid UTF-8 in string`},
		{"{\"tokenizer\":{\"vocab\":[\"a\x01\"]}}", `header byte 25: tokenizer.vocab[0]: control character '\x01' in string`},
		{`{"tokenizer":{"vocab":["a\q"]}}`, `header byte 25: tokenizer.vocab[0]: invalid escape \q`},
		{`{"tokenizer":{"vocab":["\ud800x"]}}`, `header byte 24: tokenizer.vocab[0]: unpaired surrogate in \u escape`},
		{`{"tokenizer":{"vocab":["\udc00\ud800"]}}`, `header byte 24: tokenizer.vocab[0]: unpaired surrogate in \u escape`},
		{`{"tokenizer":{"vocab":["\u12G4"]}}`, `header byte 24: tokenizer.vocab[0]: invalid \u escape`},
		{`{"tokenizer":{"vocab":["abc`, `header byte 27: tokenizer.vocab[0]: unterminated string`},
		{`{"tokenizer":{"strip_accents":1}}`, `header byte 30: tokenizer.strip_accents: want a boolean, got number`},
		{`{"pooling":{"normalize":"yes"}}`, `header byte 24: pooling.normalize: want a boolean, got string`},
		{`{"tensors":[{"shape":[1,-]}]}`, `header byte 24: tensors[0].shape[1]: malformed number`},
		{`{"tensors":[{},{"size":true}]}`, `header byte 23: tensors[1].size: want a number, got boolean`},
		{`{"tensors":[{"extra":0}]}`, `header byte 21: tensors[0].extra: unknown key "extra"`},
		{`{"source":{"a":null}}`, `header byte 15: source.a: want a string, got null`},
		{`{"xlnet":{"d_head":8,"mem_len":0}}`, `header byte 31: xlnet.mem_len: unknown key "mem_len"`},
		{`{"xlnet":{"clamp_len":"-1"}}`, `header byte 22: xlnet.clamp_len: want a number, got string`},
		{`{"source":[]}`, `header byte 10: source: want an object, got array`},
	} {
		_, err := DecodeHeader([]byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("DecodeHeader(%q):\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

// TestHeaderDecodeRealModel reads the header of the converted
// all-MiniLM-L6-v2 file and compares with encoding/json. (internal/testmodel
// cannot be used here: it imports this package through model/checkpoint.)
func TestHeaderDecodeRealModel(t *testing.T) {
	if os.Getenv("WASMBERT_REAL_MODEL") != "1" {
		t.Skip("set WASMBERT_REAL_MODEL=1 (./build.sh test does, after ./build.sh models)")
	}
	path := os.Getenv("WASMBERT_MODEL_FILE")
	if path == "" {
		path = filepath.Join("..", "..", "dist", "models", "all-MiniLM-L6-v2.int8.wbm")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("model file: %v (run ./build.sh models)", err)
	}
	defer f.Close()
	var pre [PreambleSize]byte
	if _, err := f.Read(pre[:]); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, binary.LittleEndian.Uint64(pre[12:]))
	if _, err := f.Read(b); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	var want Header
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Error("decodeHeader and encoding/json disagree on the real model header")
	}
	out, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, bytes.TrimRight(b, " ")) {
		t.Error("encoding/json does not reproduce the real model header")
	}
}

// FuzzHeader feeds arbitrary bytes to decodeHeader: it must not panic, and
// what it accepts encoding/json must accept with the same result (the
// decoder is stricter, never looser). Accepted headers must round-trip.
func FuzzHeader(f *testing.F) {
	tiny, _ := tinyModel()
	for _, h := range []*Header{tiny, fullHeader(1e-12)} {
		b, err := json.Marshal(h)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte(`{"tokenizer":{"vocab":["\ud83d\ude00","\u00e9"],"strip_accents":null},"tensors":[{"shape":[1,2]}]}`))
	f.Add([]byte(`{"model":{"layer_norm_eps":-0.5e-3}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := DecodeHeader(b)
		if err != nil {
			return
		}
		var want Header
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("decodeHeader accepted %q, encoding/json: %v", b, err)
		}
		if !reflect.DeepEqual(got, &want) {
			t.Fatalf("DecodeHeader(%q) = %+v, encoding/json %+v", b, got, &want)
		}
		out, err := json.Marshal(got)
		if err != nil {
			return // NaN cannot come from JSON; an infinite float cannot either
		}
		// Compared as bytes: omitempty turns an empty list into an absent one.
		again, err := DecodeHeader(out)
		if err != nil {
			t.Fatalf("decodeHeader rejects its own encoding of %q: %v", b, err)
		}
		if out2, _ := json.Marshal(again); !bytes.Equal(out2, out) {
			t.Fatalf("round trip of %q changed the header:\n%s\n%s", b, out, out2)
		}
	})
}
