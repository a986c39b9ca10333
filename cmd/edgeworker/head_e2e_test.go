//go:build unix

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/heads"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// seqclsCheckpoint is a tiny random HF BertForSequenceClassification with the logits
// transformers gives for a few texts (tools/reference/make_hf_checkpoint_fixtures.py).
const seqclsCheckpoint = "../../model/heads/testdata/hf_ckpt_seqcls"

// TestWorkerdClassify serves the tiny fine-tuned checkpoint converted as `wasmbert convert`
// does (the encoder as a model file, the head as a head file beside it) from workerd with
// HEAD_KEY, and compares POST /v1/classify with transformers' logits; a head whose digest does
// not match HEAD_SHA256 is refused with a 503 that says so.
func TestWorkerdClassify(t *testing.T) {
	if os.Getenv("WASMBERT_REAL_MODEL") != "1" {
		t.Skip("set WASMBERT_REAL_MODEL=1 to run the workerd tests (needs node_modules from npm ci)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	modelFile := filepath.Join(dir, "seqcls.wbm")
	if _, err := checkpoint.Convert(seqclsCheckpoint, modelFile, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
		t.Fatal(err)
	}
	c, err := heads.LoadHFClassifier(os.DirFS(seqclsCheckpoint))
	if err != nil {
		t.Fatal(err)
	}
	headFile := filepath.Join(dir, "seqcls.head.json")
	f, err := os.Create(headFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	head, err := os.ReadFile(headFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(head)

	raw, err := os.ReadFile(filepath.Join(seqclsCheckpoint, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Text   string
			Logits []float32
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range ref.Cases {
		texts = append(texts, c.Text)
	}
	body, _ := json.Marshal(map[string]any{"input": texts})

	w := startWorkerd(t, root, modelFile, "HEAD_KEY=seqcls.head.json", "HEAD_SHA256="+hex.EncodeToString(sum[:]))
	status, resp := w.do(t, "POST", "/v1/classify", string(body), nil)
	if status != 200 {
		t.Fatalf("POST /v1/classify: %d %s", status, resp)
	}
	var got struct {
		Data []struct {
			Index  int
			Label  string
			Logits []float32
		}
	}
	if err := json.Unmarshal(resp, &got); err != nil || len(got.Data) != len(texts) {
		t.Fatalf("decode %s: %v", resp, err)
	}
	// float32 sums in another order over a 2-layer, 32-wide encoder differ by about 1e-6.
	const tolerance = 1e-4
	for i, d := range got.Data {
		want := ref.Cases[i].Logits
		if d.Index != i || len(d.Logits) != len(want) {
			t.Fatalf("data[%d] = %+v", i, d)
		}
		for j := range want {
			if math.Abs(float64(d.Logits[j]-want[j])) > tolerance {
				t.Errorf("%q: logits %v, transformers %v", texts[i], d.Logits, want)
				break
			}
		}
		if wantLabel := c.Labels[argmaxF32(want)]; d.Label != wantLabel {
			t.Errorf("%q: label %q, transformers' argmax %q", texts[i], d.Label, wantLabel)
		}
	}

	bad := startWorkerd(t, root, modelFile, "HEAD_KEY=seqcls.head.json", "HEAD_SHA256="+strings.Repeat("0", 64))
	status, resp = bad.do(t, "POST", "/v1/classify", string(body), nil)
	if status != 503 || !strings.Contains(string(resp), "HEAD_SHA256 says") {
		t.Errorf("head with a wrong digest: %d %s, want 503 naming HEAD_SHA256", status, resp)
	}
}

func argmaxF32(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
