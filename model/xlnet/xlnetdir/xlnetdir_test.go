package xlnetdir

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/pooling"
	"github.com/wasmbert/wasmbert/model/tokenizer"
)

var tinyDir = filepath.Join("..", "testdata", "tiny")

// reference is the part of tiny_reference.json (tools/reference/make_xlnet_fixture.py)
// this package checks: the tokenizer's encodings and HF's batch, its pooled vectors.
type reference struct {
	Cases []struct {
		Text    string  `json:"text"`
		Pair    *string `json:"pair"`
		IDs     []int32 `json:"ids"`
		TypeIDs []int32 `json:"type_ids"`
	} `json:"cases"`
	Batch struct {
		IDs        [][]int32   `json:"ids"`
		TypeIDs    [][]int32   `json:"type_ids"`
		Mask       [][]int32   `json:"mask"`
		PooledMean [][]float32 `json:"pooled_mean"`
		PooledLast [][]float32 `json:"pooled_last"`
	} `json:"batch"`
}

func loadReference(t *testing.T) reference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "tiny_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestEmbedMatchesHF tokenizes every case as transformers does, pads the
// batch on the left as XLNetTokenizer does, and pools as sentence-transformers
// does: ids, segments and mask identical, pooled vectors within 1e-5.
func TestEmbedMatchesHF(t *testing.T) {
	e, err := Load(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	ref := loadReference(t)
	encs := make([]tokenizer.Encoding, len(ref.Cases))
	for i, c := range ref.Cases {
		if c.Pair != nil {
			encs[i] = e.Tokenizer.EncodePair(c.Text, *c.Pair, 0)
		} else {
			encs[i] = e.Tokenizer.Encode(c.Text, 0)
		}
		if !slices.Equal(encs[i].IDs, c.IDs) || !slices.Equal(encs[i].TypeIDs, c.TypeIDs) {
			t.Errorf("%q: ids %v types %v, want %v %v", c.Text, encs[i].IDs, encs[i].TypeIDs, c.IDs, c.TypeIDs)
		}
	}
	in := e.Batch(encs)
	s := in.SeqLen
	for b := range ref.Batch.IDs {
		if !slices.Equal(in.IDs[b*s:(b+1)*s], ref.Batch.IDs[b]) ||
			!slices.Equal(in.TypeIDs[b*s:(b+1)*s], ref.Batch.TypeIDs[b]) ||
			!slices.Equal(in.Mask[b*s:(b+1)*s], ref.Batch.Mask[b]) {
			t.Errorf("batch row %d padded differently from XLNetTokenizer", b)
		}
	}
	for _, tc := range []struct {
		mode pooling.Mode
		want [][]float32
	}{
		{pooling.Mean, ref.Batch.PooledMean},
		{pooling.LastToken, ref.Batch.PooledLast},
	} {
		got, err := e.EmbedEncodings(encs, Options{Pooling: tc.mode})
		if err != nil {
			t.Fatal(err)
		}
		worst, minCos := 0.0, 1.0
		for i := range got {
			for k := range got[i] {
				worst = max(worst, math.Abs(float64(got[i][k]-tc.want[i][k])))
			}
			minCos = min(minCos, cosine(got[i], tc.want[i]))
		}
		if worst > 1e-5 || minCos < 0.99999 {
			t.Errorf("%s pooling: max abs diff %.3g, min cosine %.7f", tc.mode, worst, minCos)
		}
		t.Logf("%s pooling, %d texts: max abs diff %.3g, min cosine %.9f", tc.mode, len(got), worst, minCos)
	}
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

// TestEmbedPaddingInvariant checks that a text's vector does not depend on
// the batch it is padded into.
func TestEmbedPaddingInvariant(t *testing.T) {
	e, err := Load(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := e.Embed([]string{"Hello world"}, Options{Normalize: true})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := e.Embed([]string{"a much longer text that pads the other one on the left", "Hello world"}, Options{Normalize: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := cosine(alone[0], batch[1]); c < 0.99999 {
		t.Errorf("cosine alone vs padded %.7f", c)
	}
}

func TestLoadRejects(t *testing.T) {
	bertDir := filepath.Join("..", "..", "bert", "testdata", "tiny")
	noWeights := t.TempDir()
	for _, f := range []string{"config.json", "tokenizer.json"} {
		b, err := os.ReadFile(filepath.Join(tinyDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(noWeights, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, dir, errHas string
	}{
		{"bert checkpoint", bertDir, `model_type "bert", want "xlnet"`},
		{"no weights", noWeights, "no weights"},
		{"missing dir", filepath.Join(t.TempDir(), "nope"), "config.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.dir)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("Load: %v, want an error with %q", err, tc.errHas)
			}
		})
	}
	if IsXLNet(bertDir) || !IsXLNet(tinyDir) {
		t.Error("IsXLNet does not tell the bert and xlnet checkpoints apart")
	}
}

func TestEmbedRejectsPooling(t *testing.T) {
	e, err := Load(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed([]string{"x"}, Options{Pooling: "sum"}); err == nil || !strings.Contains(err.Error(), `"sum"`) {
		t.Errorf("Embed with pooling sum: %v", err)
	}
}

// copyTiny copies the tiny checkpoint into a new directory and adds files.
func copyTiny(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"config.json", "model.safetensors", "tokenizer.json"} {
		b, err := os.ReadFile(filepath.Join(tinyDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range extra {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const modulesJSON = `[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
 {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
 {"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}]`

// TestSentenceTransformersModules checks that a directory's Pooling and
// Normalize modules become the Embedder's defaults, and that a pooling it
// cannot do is an error naming the file.
func TestSentenceTransformersModules(t *testing.T) {
	dir := copyTiny(t, map[string]string{
		"modules.json":          modulesJSON,
		"1_Pooling/config.json": `{"word_embedding_dimension": 32, "pooling_mode_lasttoken": true, "pooling_mode_mean_tokens": false}`,
	})
	e, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if e.Pooling != pooling.LastToken || !e.Normalize {
		t.Errorf("pooling %q normalize %v, want lasttoken and true", e.Pooling, e.Normalize)
	}
	plain, err := Load(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Pooling != pooling.Mean || plain.Normalize {
		t.Errorf("plain directory: pooling %q normalize %v, want mean and false", plain.Pooling, plain.Normalize)
	}
	bad := copyTiny(t, map[string]string{
		"modules.json":          modulesJSON,
		"1_Pooling/config.json": `{"pooling_mode_weightedmean_tokens": true}`,
	})
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "1_Pooling/config.json: pooling [weightedmean] not supported") {
		t.Errorf("weightedmean pooling: %v", err)
	}
}

// TestLoadHeadModelWeights loads weights named as a model with a head saves
// them (XLNetLMHeadModel: "transformer." before every encoder tensor), as
// xlnet-base-cased ships, by renaming the tiny model's tensors.
func TestLoadHeadModelWeights(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(tinyDir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(b)
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	renamed := make(map[string]json.RawMessage, len(header))
	for name, v := range header {
		if name != "__metadata__" {
			name = "transformer." + name
		}
		renamed[name] = v
	}
	h, err := json.Marshal(renamed)
	if err != nil {
		t.Fatal(err)
	}
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	file = append(append(file, h...), b[8+n:]...)
	dir := copyTiny(t, map[string]string{"model.safetensors": string(file)})
	prefixed, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Load(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"Where is my order?", "我想退款"}
	got, err := prefixed.Embed(texts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := plain.Embed(texts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("text %d: prefixed weights embed differently", i)
		}
	}
}
