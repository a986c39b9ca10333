//go:build unix

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkerdDamagedWeights serves a model file that is damaged when the first request reads
// it: that request reads it twice through the fetcher binding and answers 503 saying so; once
// the file is whole again, the next request loads it and embeds. (A read that heals on the
// second try is tested natively: TestLoadTwiceHeals.)
//
//	WASMBERT_REAL_MODEL=1 go test -count=1 -run TestWorkerdDamagedWeights -v ./cmd/edgeworker/
func TestWorkerdDamagedWeights(t *testing.T) {
	root, modelFile := realModelSetup(t)
	good, err := os.ReadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(modelFile))
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	w := startWorkerd(t, root, path) // MODEL_SHA256 is the good file's

	if err := os.WriteFile(path, good[:len(good)-4096], 0o644); err != nil {
		t.Fatal(err)
	}
	status, body := w.do(t, "POST", "/v1/embeddings", `{"input":"hello"}`, nil)
	var e struct {
		Error struct{ Message, Code string }
	}
	if status != 503 || json.Unmarshal(body, &e) != nil || e.Error.Code != "model_unavailable" ||
		!strings.Contains(e.Error.Message, "model file truncated") || !strings.HasSuffix(e.Error.Message, "(the same on a second read)") {
		t.Fatalf("damaged file: %d %s, want 503 model_unavailable saying both reads were truncated", status, body)
	}
	t.Logf("damaged file: %s", e.Error.Message)

	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if vecs := w.embed(t, []string{"hello"}, "float"); len(vecs[0]) != 384 {
		t.Fatalf("after repair: %d dims", len(vecs[0]))
	}
}
