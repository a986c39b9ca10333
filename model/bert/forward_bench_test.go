package bert

import (
	"fmt"
	"github.com/wasmbert/wasmbert/internal/cputime"
	"math/rand/v2"
	"testing"

	"github.com/wasmbert/wasmbert/model/kernel"
)

var miniLMShape = Config{VocabSize: 30522, HiddenSize: 384, NumHiddenLayers: 6, NumAttentionHeads: 12, IntermediateSize: 1536, MaxPositionEmbeddings: 512, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}

// forwardFLOPs counts the multiply-adds (×2) of a forward: the dense layers
// and the two attention products; LayerNorm, GELU and softmax are left out.
func forwardFLOPs(c Config, batch, seq int) float64 {
	h, i := float64(c.HiddenSize), float64(c.IntermediateSize)
	tokens := float64(batch * seq)
	dense := tokens * 2 * (4*h*h + 2*h*i)
	attn := float64(batch) * 4 * float64(seq*seq) * h
	return float64(c.NumHiddenLayers) * (dense + attn)
}

// BenchmarkForward runs all-MiniLM-L6-v2-shaped random weights (same work
// as the real model) at 16 and 128 tokens, batch 1 and 8.
func BenchmarkForward(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, err := New(miniLMShape, randomWeights(miniLMShape, rng))
	if err != nil {
		b.Fatal(err)
	}
	for _, seq := range []int{16, 128} {
		for _, batch := range []int{1, 8} {
			b.Run(fmt.Sprintf("seq=%d/batch=%d", seq, batch), func(b *testing.B) {
				ids := make([]int32, batch*seq)
				for i := range ids {
					ids[i] = int32(rng.IntN(miniLMShape.VocabSize))
				}
				in := Input{IDs: ids, Batch: batch, SeqLen: seq}
				var ws Workspace
				if _, err := m.Forward(&ws, in); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				cpu := cputime.Start()
				for b.Loop() {
					if _, err := m.Forward(&ws, in); err != nil {
						b.Fatal(err)
					}
				}
				sec := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(float64(batch*seq)/sec, "tokens/s")
				b.ReportMetric(forwardFLOPs(miniLMShape, batch, seq)/sec/1e9, "GFLOP/s")
				cpu.Report(b, float64(batch*seq*b.N), "tokens/cpu-s")
				cpu.Report(b, forwardFLOPs(miniLMShape, batch, seq)*float64(b.N)/1e9, "GFLOP/cpu-s")
			})
		}
	}
}

// BenchmarkDenseLayers runs only the dense layers of one MiniLM layer at the
// same rows, the kernel ceiling BenchmarkForward's GFLOP/s is measured
// against.
func BenchmarkDenseLayers(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	h, inter := miniLMShape.HiddenSize, miniLMShape.IntermediateSize
	mk := func(out, in int) kernel.Linear {
		w := make([]float32, out*in)
		for i := range w {
			w[i] = float32(rng.NormFloat64())
		}
		return kernel.NewF32(w, make([]float32, out), out, in)
	}
	qkv, o, up, down := mk(3*h, h), mk(h, h), mk(inter, h), mk(h, inter)
	for _, rows := range []int{16, 128, 1024} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			x := make([]float32, rows*inter)
			y := make([]float32, rows*inter)
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			cpu := cputime.Start()
			for b.Loop() {
				qkv.Forward(y, x, rows)
				o.Forward(y, x, rows)
				up.Forward(y, x, rows)
				down.Forward(y, x, rows)
			}
			gflop := float64(rows) * 2 * (4*float64(h*h) + 2*float64(h*inter)) * float64(b.N) / 1e9
			b.ReportMetric(gflop/b.Elapsed().Seconds(), "GFLOP/s")
			cpu.Report(b, gflop, "GFLOP/cpu-s")
		})
	}
}
