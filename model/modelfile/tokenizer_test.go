package modelfile_test

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wasmbert/wasmbert/model/tokenizer"
	"github.com/wasmbert/wasmbert/model/tokenizer/hfdir"

	. "github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/modelwriter"
)

// TestWordPieceRoundTrip sets every field of tokenizer.Config to a value
// other than its zero, so an option added to the tokenizer but not to the
// header fails here: through WordPieceHeader, the file and WordPiece it
// must come back unchanged.
func TestWordPieceRoundTrip(t *testing.T) {
	var want tokenizer.Config
	v := reflect.ValueOf(&want).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int:
			f.SetInt(int64(100 + i))
		case reflect.String:
			f.SetString("[" + v.Type().Field(i).Name + "]")
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"[" + v.Type().Field(i).Name + "]"}))
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		default:
			t.Fatalf("tokenizer.Config.%s: kind %s not covered by this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	h, data := tinyModel()
	h.Tokenizer = WordPieceHeader(want, 77)
	var buf bytes.Buffer
	if err := modelwriter.Write(&buf, h, data, weightsAs(h, F32)); err != nil {
		t.Fatal(err)
	}
	got, err := NewDecoder(&buf).Header()
	if err != nil {
		t.Fatal(err)
	}
	if got.Tokenizer.Type != TokenizerWordPiece || got.Tokenizer.MaxSeqLength != 77 {
		t.Errorf("type %q, max_seq_length %d", got.Tokenizer.Type, got.Tokenizer.MaxSeqLength)
	}
	if c := got.Tokenizer.WordPiece(); !reflect.DeepEqual(c, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", c, want)
	}
}

// TestPipelineRoundTrip stores the BPE and Unigram tokenizers of the
// tokenizer fixtures (held to HF on 771 strings in model/tokenizer) in a
// model file: the spec read back is the one stored, field for field, so the
// engine builds the same pipeline.
func TestPipelineRoundTrip(t *testing.T) {
	for _, name := range []string{"bpe", "bpe_prefix", "unigram", "unigram_v5"} {
		want, ok, err := hfdir.LoadPipelineSpec(filepath.Join("..", "tokenizer", "testdata", name))
		if err != nil || !ok {
			t.Fatalf("%s: %v (pipeline %v)", name, err, ok)
		}
		h, data := tinyModel()
		h.Tokenizer = PipelineHeader(want, 512, 128)
		var buf bytes.Buffer
		if err := modelwriter.Write(&buf, h, data, weightsAs(h, F32)); err != nil {
			t.Fatal(err)
		}
		got, err := NewDecoder(&buf).Header()
		if err != nil {
			t.Fatal(err)
		}
		spec, err := got.Tokenizer.PipelineSpec()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(spec, want) {
			t.Errorf("%s: round trip changed the spec", name)
		}
		if got.Tokenizer.ModelMaxLength != 512 || got.Tokenizer.MaxSeqLength != 128 {
			t.Errorf("%s: lengths %d, %d", name, got.Tokenizer.ModelMaxLength, got.Tokenizer.MaxSeqLength)
		}
		if _, err := spec.Build(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
