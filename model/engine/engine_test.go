package engine

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/similarity"
)

const tinyDir = "../bert/testdata/tiny"

// tinyFile converts the tiny random checkpoint into a model file.
func tinyFile(t testing.TB, dtype modelfile.DType) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.wbm")
	if _, err := checkpoint.Convert(tinyDir, path, checkpoint.ConvertOptions{DType: dtype}); err != nil {
		t.Fatal(err)
	}
	return path
}

type tinyCase struct {
	Text         string
	IDs          []int32
	Tokens       []string
	HiddenStates [][][]float32 `json:"hidden_states"`
	Embedding    []float32
}

func loadTinyCases(t testing.TB) []tinyCase {
	raw, err := os.ReadFile("../bert/testdata/tiny_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []tinyCase }
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Cases
}

func maxAbsDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}

// TestTinyMatchesSentenceTransformers embeds the tiny model's sentences
// with the model's own defaults (CLS pooling, normalized) and compares with
// sentence-transformers.
func TestTinyMatchesSentenceTransformers(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	if info := e.Info(); info.Pooling != "cls" || !info.Normalize || info.Dim != 32 || info.Layers != 2 || info.MaxLength != 64 {
		t.Errorf("info %+v", info)
	}
	cases := loadTinyCases(t)
	texts := make([]string, len(cases))
	for i, c := range cases {
		texts[i] = c.Text
	}
	got, err := e.Embed(texts, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		enc, err := e.Tokenize(c.Text)
		if err != nil || !slices.Equal(enc.IDs, c.IDs) {
			t.Errorf("%q: ids %v, want %v (%v)", c.Text, enc.IDs, c.IDs, err)
		}
		if d := maxAbsDiff(got[i].Vector, c.Embedding); d > 1e-4 {
			t.Errorf("%q: max abs diff %g", c.Text, d)
		}
		if got[i].NumTokens != len(c.IDs) {
			t.Errorf("%q: %d tokens, want %d", c.Text, got[i].NumTokens, len(c.IDs))
		}
	}
}

// TestPoolingOptions checks pooling, layer choice and token vectors against
// pooling done by hand on transformers' hidden states.
func TestPoolingOptions(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	no := false
	c := loadTinyCases(t)[3]
	hs := c.HiddenStates
	pool := func(layer [][]float32, mode string) []float32 {
		v := slices.Clone(layer[0])
		for _, row := range layer[1:] {
			for k, x := range row {
				switch mode {
				case "mean":
					v[k] += x
				case "max":
					v[k] = max(v[k], x)
				}
			}
		}
		if mode == "mean" {
			for k := range v {
				v[k] /= float32(len(layer))
			}
		}
		return v
	}
	sum := make([][]float32, len(hs[1]))
	for i := range sum {
		sum[i] = make([]float32, len(hs[1][i]))
		for k := range sum[i] {
			sum[i][k] = hs[1][i][k] + hs[2][i][k]
		}
	}
	tests := []struct {
		name string
		o    EmbedOptions
		want []float32
	}{
		{"cls raw", EmbedOptions{Normalize: &no}, hs[2][0]},
		{"mean", EmbedOptions{Pooling: "mean", Normalize: &no}, pool(hs[2], "mean")},
		{"max", EmbedOptions{Pooling: "max", Normalize: &no}, pool(hs[2], "max")},
		{"layer 1", EmbedOptions{Pooling: "mean", Normalize: &no, Layer: "1"}, pool(hs[1], "mean")},
		{"layer -3 (embeddings)", EmbedOptions{Pooling: "cls", Normalize: &no, Layer: "-3"}, hs[0][0]},
		{"sum of last 2", EmbedOptions{Pooling: "mean", Normalize: &no, Layer: "sum:2"}, pool(sum, "mean")},
		{"concat of last 2", EmbedOptions{Pooling: "cls", Normalize: &no, Layer: "concat:2"}, append(slices.Clone(hs[1][0]), hs[2][0]...)},
	}
	for _, tt := range tests {
		got, err := e.Embed([]string{c.Text}, tt.o)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if d := maxAbsDiff(got[0].Vector, tt.want); d > 1e-4 {
			t.Errorf("%s: max abs diff %g", tt.name, d)
		}
	}
	got, err := e.Embed([]string{c.Text}, EmbedOptions{Tokens: true, Words: "mean"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0].Tokens) != len(c.IDs) {
		t.Fatalf("%d token vectors, want %d", len(got[0].Tokens), len(c.IDs))
	}
	for i, tv := range got[0].Tokens {
		if tv.Token != c.Tokens[i] || maxAbsDiff(tv.Vector, hs[2][i]) > 1e-4 {
			t.Errorf("token %d %q: wrong token or vector", i, tv.Token)
		}
		if tv.Token != "[CLS]" && tv.Token != "[SEP]" && !strings.EqualFold(strings.TrimPrefix(tv.Token, "##"), strings.ToLower(c.Text[tv.Start:tv.End])) && tv.Token != "[UNK]" {
			t.Errorf("token %d %q: offsets give %q", i, tv.Token, c.Text[tv.Start:tv.End])
		}
	}
	if len(got[0].Words) == 0 || got[0].Words[0].Text != "Water" {
		t.Errorf("words %+v", got[0].Words)
	}
}

// TestBatchingDoesNotChangeResults embeds texts of very different lengths
// together and one by one: padding and bucketing must not show.
func TestBatchingDoesNotChangeResults(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range loadTinyCases(t) {
		texts = append(texts, c.Text)
	}
	for _, o := range []EmbedOptions{{}, {Pooling: "mean"}, {Pooling: "max", Layer: "mean:2"}} {
		all, err := e.Embed(texts, o)
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range texts {
			one, err := e.Embed([]string{text}, o)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(all[i].Vector, one[0].Vector); d > 1e-5 {
				t.Errorf("%+v %q: batched vs alone max abs diff %g", o, text, d)
			}
		}
	}
}

func TestTruncationAndChunking(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("the water is cold and the sun is hot. ", 30) // ~300 tokens
	short := "hello world"
	got, err := e.Embed([]string{long, short}, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	enc := e.tok.Encode(long, 0)
	content := len(enc.IDs) - 2
	if !got[0].Truncated || got[0].NumTokens != 64 || got[0].FullTokens != len(enc.IDs) || got[1].Truncated || got[1].FullTokens != got[1].NumTokens {
		t.Errorf("truncation: %+v / %+v", got[0], got[1])
	}
	chunk := &Chunking{Size: 40, Overlap: ptr(10)}
	got, err = e.Embed([]string{long, short}, EmbedOptions{Chunk: chunk})
	if err != nil {
		t.Fatal(err)
	}
	wantChunks := 1 + (content-40+29)/30
	if got[0].Chunks != wantChunks || got[0].Truncated || got[0].FullTokens != len(enc.IDs) || got[0].NumTokens != content+2*wantChunks+10*(wantChunks-1) {
		t.Errorf("chunks %d (want %d), tokens %d", got[0].Chunks, wantChunks, got[0].NumTokens)
	}
	var n float64
	for _, x := range got[0].Vector {
		n += float64(x) * float64(x)
	}
	if math.Abs(n-1) > 1e-5 {
		t.Errorf("chunked vector norm² %g", n)
	}
	plain, _ := e.Embed([]string{short}, EmbedOptions{})
	if d := maxAbsDiff(got[1].Vector, plain[0].Vector); d > 1e-6 || got[1].Chunks != 1 {
		t.Errorf("short text under chunking changed: %g", d)
	}
}

// TestChunkDefaults: a left-out size is the longest window, a left-out
// overlap is size/8, and overlap 0 gives disjoint windows.
func TestChunkDefaults(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("the water is cold and the sun is hot. ", 30)
	content := len(e.tok.Encode(long, 0).IDs) - 2
	embed := func(c Chunking) Embedding {
		t.Helper()
		got, err := e.Embed([]string{long}, EmbedOptions{Chunk: &c})
		if err != nil {
			t.Fatal(err)
		}
		return got[0]
	}
	tests := []struct {
		name       string
		chunk      Chunking
		same       Chunking
		wantChunks int
	}{
		{"size left out", Chunking{}, Chunking{Size: 62, Overlap: ptr(62 / 8)}, 1 + (content-62+54)/55},
		{"overlap left out", Chunking{Size: 40}, Chunking{Size: 40, Overlap: ptr(5)}, 1 + (content-40+34)/35},
		{"overlap 0", Chunking{Size: 40, Overlap: ptr(0)}, Chunking{Size: 40, Overlap: ptr(0)}, (content + 39) / 40},
	}
	for _, tt := range tests {
		got, want := embed(tt.chunk), embed(tt.same)
		if got.Chunks != tt.wantChunks {
			t.Errorf("%s: %d chunks, want %d", tt.name, got.Chunks, tt.wantChunks)
		}
		if got.NumTokens != want.NumTokens || maxAbsDiff(got.Vector, want.Vector) != 0 {
			t.Errorf("%s: differs from %+v", tt.name, tt.same)
		}
	}
	if zero, eight := embed(Chunking{Size: 40, Overlap: ptr(0)}), embed(Chunking{Size: 40}); zero.NumTokens != content+2*zero.Chunks || maxAbsDiff(zero.Vector, eight.Vector) == 0 {
		t.Errorf("overlap 0: %d tokens in %d chunks for %d content tokens, or the vector of the default overlap", zero.NumTokens, zero.Chunks, content)
	}
}

func ptr[T any](v T) *T { return &v }

func TestDimensions(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	full, _ := e.Embed([]string{"good morning"}, EmbedOptions{})
	got, err := e.Embed([]string{"good morning"}, EmbedOptions{Dimensions: 8})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := similarity.Truncate(full[0].Vector, 8)
	if d := maxAbsDiff(got[0].Vector, want); d > 1e-6 {
		t.Errorf("max abs diff %g", d)
	}
}

func TestBadInput(t *testing.T) {
	path := tinyFile(t, modelfile.F32)
	e, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		texts []string
		o     EmbedOptions
	}{
		{"pooling", []string{"a"}, EmbedOptions{Pooling: "sum"}},
		{"layer", []string{"a"}, EmbedOptions{Layer: "7"}},
		{"layer spec", []string{"a"}, EmbedOptions{Layer: "top"}},
		{"max length too big", []string{"a"}, EmbedOptions{MaxLength: 65}},
		{"max length too small", []string{"a"}, EmbedOptions{MaxLength: 2}},
		{"chunk size", []string{"a"}, EmbedOptions{Chunk: &Chunking{Size: 63}}},
		{"chunk overlap", []string{"a"}, EmbedOptions{Chunk: &Chunking{Size: 10, Overlap: ptr(10)}}},
		{"negative chunk overlap", []string{"a"}, EmbedOptions{Chunk: &Chunking{Size: 10, Overlap: ptr(-1)}}},
		{"dimensions", []string{"a"}, EmbedOptions{Dimensions: 33}},
		{"words", []string{"a"}, EmbedOptions{Words: "last"}},
		{"prompt the model lacks", []string{"a"}, EmbedOptions{Prompt: "query"}},
		{"huge text", []string{strings.Repeat("a ", MaxTextBytes)}, EmbedOptions{}},
	}
	for _, tt := range tests {
		if _, err := e.Embed(tt.texts, tt.o); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	got, err := e.Embed(nil, EmbedOptions{})
	if err != nil || len(got) != 0 {
		t.Errorf("no texts: %v, %v", got, err)
	}
	// Invalid UTF-8 and control characters are text like any other.
	if _, err := e.Embed([]string{"\xff\xfe abc \x00"}, EmbedOptions{}); err != nil {
		t.Errorf("invalid UTF-8: %v", err)
	}

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 5, 100, len(raw) / 2, len(raw) - 1} {
		if _, err := Load(strings.NewReader(string(raw[:n]))); err == nil {
			t.Errorf("truncated to %d bytes: no error", n)
		}
	}
	bad := slices.Clone(raw)
	bad[len(bad)-3] ^= 0xff
	if _, err := Load(strings.NewReader(string(bad))); err == nil {
		t.Error("corrupt tensor: no error")
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.wbm")); err == nil {
		t.Error("missing file: no error")
	}
}
