// Package testmodel gives tests in other packages the real
// all-MiniLM-L6-v2, fetched and converted through the cache
// ($WASMBERT_CACHE), when WASMBERT_REAL_MODEL=1; otherwise they skip.
package testmodel

import (
	"context"
	"os"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// Name is the real model tests use.
const Name = checkpoint.DefaultModel

const skipReason = "real all-MiniLM-L6-v2 not requested: set WASMBERT_REAL_MODEL=1 (./build.sh test does)"

// CheckpointDir returns the HF checkpoint directory of all-MiniLM-L6-v2.
func CheckpointDir(t testing.TB) string {
	t.Helper()
	requireReal(t)
	dir, err := checkpoint.Fetch(context.Background(), Name, checkpoint.FetchOptions{})
	if err != nil {
		t.Fatalf("fetch %s: %v", Name, err)
	}
	return dir
}

// ModelFile returns all-MiniLM-L6-v2 converted to dtype (f32, f16, int8 or
// int4; the word embeddings use Convert's default for that dtype).
func ModelFile(t testing.TB, dtype string) string {
	t.Helper()
	requireReal(t)
	dt, err := modelfile.ParseDType(dtype)
	if err != nil {
		t.Fatal(err)
	}
	path, err := checkpoint.ResolveDType(context.Background(), Name, dt, checkpoint.FetchOptions{})
	if err != nil {
		t.Fatalf("resolve %s as %s: %v", Name, dtype, err)
	}
	return path
}

func requireReal(t testing.TB) {
	if os.Getenv("WASMBERT_REAL_MODEL") != "1" {
		t.Skip(skipReason)
	}
}
