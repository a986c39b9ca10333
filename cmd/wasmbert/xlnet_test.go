package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/xlnet/xlnetdir"
)

const xlnetTiny = "../../model/xlnet/testdata/tiny"

// TestEmbedXLNetDir runs `wasmbert embed -m DIR` on the tiny XLNet checkpoint
// and checks each line against xlnetdir, which its own tests hold to HF.
func TestEmbedXLNetDir(t *testing.T) {
	texts := []string{"Hello world", "我想退款", "", "a much longer line than the others, padded on the left"}
	for _, pool := range []string{"", "lasttoken"} {
		args := []string{"embed", "-m", xlnetTiny}
		if pool != "" {
			args = append(args, "--pooling", pool)
		}
		var out bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(strings.Join(texts, "\n")+"\n"), &out); err != nil {
			t.Fatal(err)
		}
		e, err := xlnetdir.Load(xlnetTiny)
		if err != nil {
			t.Fatal(err)
		}
		o := xlnetdir.Options{Normalize: true}
		if pool != "" {
			o.Pooling = "lasttoken"
		}
		want, err := e.Embed(texts, o)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(&out)
		n := 0
		for ; sc.Scan(); n++ {
			var line struct{ Embedding []float32 }
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			var norm float64
			for k, v := range line.Embedding {
				norm += float64(v) * float64(v)
				if v != want[n][k] {
					t.Fatalf("pooling %q, line %d differs from xlnetdir", pool, n)
				}
			}
			if math.Abs(norm-1) > 1e-5 {
				t.Errorf("line %d: squared norm %g, want 1", n, norm)
			}
		}
		if n != len(texts) {
			t.Errorf("pooling %q: %d lines, want %d", pool, n, len(texts))
		}
	}
}

func TestEmbedXLNetRejectsLayer(t *testing.T) {
	err := run(context.Background(), []string{"embed", "-m", xlnetTiny, "--layer", "-2"}, strings.NewReader("x\n"), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "XLNet checkpoint") {
		t.Errorf("embed --layer on XLNet: %v", err)
	}
}

// TestEmbedXLNetFile converts the tiny XLNet checkpoint with `wasmbert
// convert`, embeds the fixture's texts with `wasmbert embed -m FILE` and
// holds each line to transformers' XLNetModel (model/xlnet/testdata): f32
// within 1e-5, int8 at cosine 0.999, for mean and last-token pooling.
func TestEmbedXLNetFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(xlnetTiny, "..", "tiny_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Text       string
			Pair       *string
			Mean, Last []float64
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	var texts []string
	var means, lasts [][]float64
	for _, c := range ref.Cases {
		if c.Pair == nil {
			texts, means, lasts = append(texts, c.Text), append(means, c.Mean), append(lasts, c.Last)
		}
	}
	for _, dtype := range []string{"f32", "int8"} {
		path := filepath.Join(t.TempDir(), "xlnet.wbm")
		if err := run(context.Background(), []string{"convert", "--in", xlnetTiny, "--out", path, "--dtype", dtype}, strings.NewReader(""), &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		for _, pool := range []string{"mean", "lasttoken"} {
			var out bytes.Buffer
			args := []string{"embed", "-m", path, "--no-normalize", "--pooling", pool}
			if err := run(context.Background(), args, strings.NewReader(strings.Join(texts, "\n")+"\n"), &out); err != nil {
				t.Fatal(err)
			}
			want := means
			if pool == "lasttoken" {
				want = lasts
			}
			sc := bufio.NewScanner(&out)
			n := 0
			worst, minCos := 0.0, 1.0
			for ; sc.Scan(); n++ {
				var line struct{ Embedding []float64 }
				if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
					t.Fatal(err)
				}
				var ab, aa, bb float64
				for k, v := range line.Embedding {
					w := want[n][k]
					worst = max(worst, math.Abs(v-w))
					ab, aa, bb = ab+v*w, aa+v*v, bb+w*w
				}
				minCos = min(minCos, ab/math.Sqrt(aa*bb))
			}
			if n != len(texts) {
				t.Fatalf("%s %s: %d lines, want %d", dtype, pool, n, len(texts))
			}
			t.Logf("%s %s: max abs diff %.3g, min cosine %.6f", dtype, pool, worst, minCos)
			if dtype == "f32" && worst > 1e-5 || minCos < 0.999 {
				t.Errorf("%s %s: max abs diff %.3g, min cosine %.6f", dtype, pool, worst, minCos)
			}
		}
	}
}
