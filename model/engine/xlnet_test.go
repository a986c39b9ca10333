//go:build !wasmbert_core

package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/bert"
	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/similarity"
)

var xlnetDir = filepath.Join("..", "xlnet", "testdata", "tiny")

// xlnetCase is one text of model/xlnet/testdata/tiny_reference.json
// (tools/reference/make_xlnet_fixture.py): its ids and segments from
// transformers' XLNet tokenizer and its vectors from XLNetModel, mean and
// last-token pooled, unnormalized.
type xlnetCase struct {
	Text    string
	Pair    *string
	IDs     []int32
	TypeIDs []int32 `json:"type_ids"`
	Mean    []float32
	Last    []float32
}

func loadXLNetCases(t *testing.T) []xlnetCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "xlnet", "testdata", "tiny_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []xlnetCase }
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var single []xlnetCase
	for _, c := range ref.Cases {
		if c.Pair == nil {
			single = append(single, c)
		}
	}
	return single
}

func xlnetFile(t *testing.T, dt modelfile.DType) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "xlnet.wbm")
	if _, err := checkpoint.Convert(xlnetDir, path, checkpoint.ConvertOptions{DType: dt}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestXLNetEndToEnd converts the tiny random XLNet checkpoint at each dtype,
// loads the file and holds token ids and segments to transformers and the
// mean and last-token vectors to XLNetModel, all texts in one batch padded
// on the right (the engine's side, not XLNet's): f32 within 1e-5, int8 and
// int4 by their minimum cosine.
func TestXLNetEndToEnd(t *testing.T) {
	cases := loadXLNetCases(t)
	texts := make([]string, len(cases))
	for i, c := range cases {
		texts[i] = c.Text
	}
	no := false
	for _, tc := range []struct {
		dt     modelfile.DType
		minCos float64
	}{{modelfile.F32, 0}, {modelfile.I8, 0.999}, {modelfile.I4, 0.94}} {
		t.Run(string(tc.dt), func(t *testing.T) {
			e, err := LoadFile(xlnetFile(t, tc.dt))
			if err != nil {
				t.Fatal(err)
			}
			if info := e.Info(); info.Tokenizer != "unigram" || info.Pooling != "mean" || info.Dim != 32 || info.Layers != 2 || info.MaxLength != xlnetMaxTokens {
				t.Errorf("info %+v", info)
			}
			for _, c := range cases {
				enc, err := e.Tokenize(c.Text)
				if err != nil || !slices.Equal(enc.IDs, c.IDs) || !slices.Equal(enc.TypeIDs, c.TypeIDs) {
					t.Errorf("%q: ids %v types %v, want %v %v (%v)", c.Text, enc.IDs, enc.TypeIDs, c.IDs, c.TypeIDs, err)
				}
			}
			for _, mode := range []string{"mean", "lasttoken"} {
				got, err := e.Embed(texts, EmbedOptions{Pooling: mode, Normalize: &no})
				if err != nil {
					t.Fatal(err)
				}
				worst, minCos := 0.0, 1.0
				for i, c := range cases {
					want := c.Mean
					if mode == "lasttoken" {
						want = c.Last
					}
					worst = max(worst, maxAbsDiff(got[i].Vector, want))
					cos, err := similarity.Cosine(got[i].Vector, want)
					if err != nil {
						t.Fatal(err)
					}
					minCos = min(minCos, float64(cos))
				}
				t.Logf("%s %s, %d texts: max abs diff %.3g, min cosine %.6f", tc.dt, mode, len(cases), worst, minCos)
				if tc.dt == modelfile.F32 && worst > 1e-5 || minCos < tc.minCos {
					t.Errorf("%s pooling: max abs diff %.3g, min cosine %.6f", mode, worst, minCos)
				}
			}
		})
	}
}

// TestXLNetChunks checks that every chunk of a long text ends in XLNet's
// <sep> <cls> with their segments, and that a text short enough for one
// chunk embeds as without chunking.
func TestXLNetChunks(t *testing.T) {
	e, err := LoadFile(xlnetFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("Customer service question matching. ", 8)
	full := e.tok.Encode(text, 0)
	n := len(full.IDs)
	sep, cls := full.IDs[n-2], full.IDs[n-1]
	s, err := e.settings(EmbedOptions{MaxLength: 12, Chunk: &Chunking{}})
	if err != nil {
		t.Fatal(err)
	}
	var emb Embedding
	seqs := e.appendSequences(nil, 0, text, &s, &emb)
	if emb.Chunks < 2 {
		t.Fatalf("%d chunks", emb.Chunks)
	}
	for i, sq := range seqs {
		k := len(sq.ids)
		if k > 12 || sq.ids[k-2] != sep || sq.ids[k-1] != cls || !slices.Equal(sq.types[k-2:], []int32{0, 2}) || slices.Contains(sq.ids[:k-2], cls) {
			t.Errorf("chunk %d: ids %v types %v, want at most 12 ending <sep> <cls> with segments 0 2", i, sq.ids, sq.types)
		}
	}
	short := []string{"Where is my order?"}
	chunked, err := e.Embed(short, EmbedOptions{Chunk: &Chunking{}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := e.Embed(short, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(chunked[0].Vector, plain[0].Vector) {
		t.Error("a one-chunk text embeds differently chunked")
	}
	if _, err := e.Embed([]string{text}, EmbedOptions{MaxLength: 12, Chunk: &Chunking{}}); err != nil {
		t.Errorf("chunked embed: %v", err)
	}
}

// TestXLNetRefusesSplit checks that the split forward, which runs BERT
// only, says so for an XLNet model.
func TestXLNetRefusesSplit(t *testing.T) {
	e, err := LoadFile(xlnetFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	ex := bert.NewLocalExchange(2)
	_, err = e.EmbedPart("hello", EmbedOptions{}, Split{Part: bert.Part{Index: 0, Count: 2}, Exchange: ex.Part()})
	if err == nil || !strings.Contains(err.Error(), "XLNet model is not split") {
		t.Errorf("EmbedPart on XLNet: %v", err)
	}
}
