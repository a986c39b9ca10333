package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/internal/testmodel"
)

func TestConvertCommand(t *testing.T) {
	dir := testmodel.CheckpointDir(t)
	out := filepath.Join(t.TempDir(), "m.wbm")
	var stdout bytes.Buffer
	if err := runConvert(context.Background(), []string{"--in", dir, "--out", out, "--dtype", "int8"}, &stdout); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"6 layers", "i8", "f32", "total file size"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout.String())
		}
	}
	stdout.Reset()
	if err := runFetch(context.Background(), []string{dir}, &stdout); err != nil || strings.TrimSpace(stdout.String()) != dir {
		t.Errorf("fetch printed %q, %v", stdout.String(), err)
	}
}

// TestConvertPrintsPrompts: the summary names the checkpoint's prompts and
// the flag that applies them.
func TestConvertPrintsPrompts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.wbm")
	var stdout bytes.Buffer
	if err := runConvert(context.Background(), []string{"--in", "../../model/engine/testdata/families/cased", "--out", out}, &stdout); err != nil {
		t.Fatal(err)
	}
	want := "  prompt passage: \"passage: \" (--prompt passage)\n  prompt query: \"query: \" (--prompt query)\n"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, stdout.String())
	}
}

func TestConvertCommandErrors(t *testing.T) {
	tests := [][]string{
		{"--in", "x"},                                       // no --out
		{"--out", "m.wbm", "--dtype", "int3"},               // bad dtype
		{"--out", "m.wbm", "--embeddings", "q"},             // bad embeddings dtype
		{"--out", "m.wbm", "--group-size", "0"},             // no group
		{"--out", "m.wbm", "--embeddings-group-size", "-2"}, // negative group
		{"--in", "no-such-model", "--out", "m.wbm"},         // unknown name
	}
	for _, args := range tests {
		if err := runConvert(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("runConvert(%q) succeeded", args)
		}
	}
}
