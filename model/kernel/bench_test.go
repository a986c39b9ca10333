package kernel

import (
	"fmt"
	"github.com/wasmbert/wasmbert/internal/cputime"
	"math/rand/v2"
	"testing"
)

// The MiniLM layer shapes: QKV fused, attention output, intermediate, output.
var benchShapes = []struct{ out, in int }{{384, 384}, {1152, 384}, {1536, 384}, {384, 1536}}

func BenchmarkLinear(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, dtype := range []string{"f32", "int8", "int4"} {
		for _, rows := range []int{16, 128} {
			for _, s := range benchShapes {
				var l Linear
				switch dtype {
				case "f32":
					l = NewF32(randSlice(rng, s.out*s.in), randSlice(rng, s.out), s.out, s.in)
				case "int8":
					l = NewInt8(randInt8(rng, s.out*s.in), randSlice(rng, s.out), randSlice(rng, s.out), s.out, s.in)
				case "int4":
					l = newRandInt4(rng, s.out, s.in, 16) // MiniLM's --dtype int4 group
				}
				x, y := randSlice(rng, rows*s.in), make([]float32, rows*s.out)
				b.Run(fmt.Sprintf("%s/%dx%dx%d", dtype, rows, s.in, s.out), func(b *testing.B) {
					cpu := cputime.Start()
					for b.Loop() {
						l.Forward(y, x, rows)
					}
					gflop := 2 * float64(rows) * float64(s.in) * float64(s.out) * float64(b.N) / 1e9
					b.ReportMetric(gflop/b.Elapsed().Seconds(), "GFLOP/s")
					cpu.Report(b, gflop, "GFLOP/cpu-s")
				})
			}
		}
	}
}

// reportElems reports throughput in millions of elements per wall-clock
// and per CPU second.
func reportElems(b *testing.B, cpu cputime.Clock, n int) {
	m := float64(n) * float64(b.N) / 1e6
	b.ReportMetric(m/b.Elapsed().Seconds(), "Melem/s")
	cpu.Report(b, m, "Melem/cpu-s")
}

func BenchmarkLayerNorm(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	const rows, n = 128, 384
	x, res := randSlice(rng, rows*n), randSlice(rng, rows*n)
	gamma, beta := randSlice(rng, n), randSlice(rng, n)
	b.Run("LayerNorm", func(b *testing.B) {
		cpu := cputime.Start()
		for b.Loop() {
			LayerNorm(x, rows, n, gamma, beta, 1e-12)
		}
		reportElems(b, cpu, rows*n)
	})
	b.Run("AddLayerNorm", func(b *testing.B) {
		cpu := cputime.Start()
		for b.Loop() {
			AddLayerNorm(x, res, rows, n, gamma, beta, 1e-12)
		}
		reportElems(b, cpu, rows*n)
	})
}

func BenchmarkGELU(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	x := randSlice(rng, 128*1536)
	src := append([]float32(nil), x...)
	cpu := cputime.Start()
	for b.Loop() {
		copy(x, src) // keep the inputs in range; GELU of GELU shrinks toward 0
		GELU(x)
	}
	reportElems(b, cpu, len(x))
}

func BenchmarkSoftmax(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	const seq = 128
	x := randSlice(rng, seq*seq)
	cpu := cputime.Start()
	for b.Loop() {
		for r := 0; r < seq; r++ {
			Softmax(x[r*seq : (r+1)*seq])
		}
	}
	reportElems(b, cpu, len(x))
}

func BenchmarkAttention(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 5))
	const seq, heads, headDim = 128, 12, 32
	hidden := heads * headDim
	qkv, out := randSlice(rng, seq*3*hidden), make([]float32, seq*hidden)
	scratch := make([]float32, AttentionScratch(seq, headDim))
	cpu := cputime.Start()
	for b.Loop() {
		Attention(out, qkv, seq, 0, seq, heads, headDim, 3*hidden, nil, scratch)
	}
	gflop := 4 * float64(seq) * float64(seq) * float64(hidden) * float64(b.N) / 1e9
	b.ReportMetric(gflop/b.Elapsed().Seconds(), "GFLOP/s")
	cpu.Report(b, gflop, "GFLOP/cpu-s")
}

func BenchmarkQuantizeRows(b *testing.B) {
	rng := rand.New(rand.NewPCG(6, 6))
	const rows, in = 128, 1536
	x, xq, scale := randSlice(rng, rows*in), make([]int16, rows*in), make([]float32, rows)
	cpu := cputime.Start()
	for b.Loop() {
		quantizeRows(xq, scale, x, rows, in, in, actLimit(in))
	}
	reportElems(b, cpu, rows*in)
}
