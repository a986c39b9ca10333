package engine

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/wasmbert/wasmbert/internal/testmodel"
	"github.com/wasmbert/wasmbert/model/similarity"
)

// benchReference is bench/reference.json's sentence-transformers vectors
// with their texts: every 10th corpus text (by id) and the single texts (by
// length key), the set the benchmark's fidelity column is measured on.
func benchReference(t *testing.T) (texts []string, vectors [][]float32) {
	dir := filepath.Join("..", "..", "bench")
	raw, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Embeddings []struct {
			ID        *json.Number `json:"id"`
			Single    string       `json:"single"`
			Embedding []float32    `json:"embedding"`
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatalf("reference.json: %v", err)
	}
	corpus := map[string]string{}
	f, err := os.Open(filepath.Join(dir, "corpus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			ID   int
			Text string
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("corpus.jsonl: %v", err)
		}
		corpus[strconv.Itoa(line.ID)] = line.Text
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile(filepath.Join(dir, "single_texts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var singles map[string]string
	if err := json.Unmarshal(raw, &singles); err != nil {
		t.Fatalf("single_texts.json: %v", err)
	}
	for _, e := range ref.Embeddings {
		text, ok := singles[e.Single]
		if e.ID != nil {
			text, ok = corpus[e.ID.String()]
		}
		if !ok {
			t.Fatalf("reference.json: no text for id %v single %q", e.ID, e.Single)
		}
		texts = append(texts, text)
		vectors = append(vectors, e.Embedding)
	}
	return texts, vectors
}

// TestInt8BenchReference holds the int8 model to issue 13's fidelity goal
// on the benchmark's reference texts: mean cosine to sentence-transformers
// ≥ 0.999, min ≥ 0.995. Built with -tags wasmbert_sim7 it measures the
// activations relaxed SIMD's i8 dot would need instead (model/kernel/gemm_sim7.go).
func TestInt8BenchReference(t *testing.T) {
	path := testmodel.ModelFile(t, "int8")
	texts, want := benchReference(t)
	e, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Embed(texts, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cos := make([]float64, len(got))
	for i := range got {
		c, err := similarity.Cosine(got[i].Vector, want[i])
		if err != nil {
			t.Fatal(err)
		}
		cos[i] = float64(c)
	}
	mean, minimum := stats(cos)
	t.Logf("int8 vs sentence-transformers on %d bench texts: mean cosine %.5f, min %.5f", len(cos), mean, minimum)
	if mean < 0.999 || minimum < 0.995 {
		t.Errorf("int8: mean cosine %.5f (want ≥ 0.999), min %.5f (want ≥ 0.995)", mean, minimum)
	}
}
