package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
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
