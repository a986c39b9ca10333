package checkpoint_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/internal/testmodel"
	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/modelwriter"
	"github.com/wasmbert/wasmbert/model/similarity"
)

// storage says how the sweep stores one tensor: a file dtype (with its
// group size for i4), or, for a scheme the format does not have, fake
// quantization: the dequantized values stored as f32 and the bytes the
// scheme would take counted instead.
type storage struct {
	dtype modelfile.DType
	group int
	fake  func(w []float32, rows, cols int) (values []float32, size int64)
}

// variant is one way of converting all-MiniLM-L6-v2.
type variant struct {
	name  string
	store func(name string, shape []int) storage
}

// quantizable reports whether Convert quantizes the named tensor under
// --dtype (the encoder and pooler Linear weights).
func quantizable(name string, shape []int) bool {
	return len(shape) == 2 && (strings.HasPrefix(name, "encoder.") || strings.HasPrefix(name, "pooler."))
}

// uniform stores encoder weights as enc and the word embeddings as emb.
func uniform(name string, enc, emb storage) variant {
	return variant{name, func(n string, shape []int) storage {
		switch {
		case n == "embeddings.word_embeddings.weight":
			return emb
		case quantizable(n, shape):
			return enc
		}
		return storage{dtype: modelfile.F32}
	}}
}

// mixed stores encoder weights as i4 with the given group size except those
// keep says to keep at i8; the word embeddings are i8.
func mixed(name string, group int, keep func(tensor string) bool) variant {
	return mixedEmb(name, group, storage{dtype: modelfile.I8}, keep)
}

// mixedEmb is mixed with the word embeddings stored as emb.
func mixedEmb(name string, group int, emb storage, keep func(tensor string) bool) variant {
	i4, i8 := storage{dtype: modelfile.I4, group: group}, storage{dtype: modelfile.I8}
	return variant{name, func(n string, shape []int) storage {
		switch {
		case n == "embeddings.word_embeddings.weight":
			return emb
		case quantizable(n, shape) && keep(n):
			return i8
		case quantizable(n, shape):
			return i4
		}
		return storage{dtype: modelfile.F32}
	}}
}

// maxAbs4 is the int4 quantizer before the scale search: levels in [-7, 7],
// scale = max|group|/7, round to nearest (same bytes as i4).
func maxAbs4(group int) func(w []float32, rows, cols int) ([]float32, int64) {
	return func(w []float32, rows, cols int) ([]float32, int64) {
		out := make([]float32, len(w))
		groups := (cols + group - 1) / group
		for r := range rows {
			for lo := 0; lo < cols; lo += group {
				span := w[r*cols+lo : r*cols+min(lo+group, cols)]
				var m float64
				for _, v := range span {
					m = max(m, math.Abs(float64(v)))
				}
				if m == 0 {
					continue
				}
				s := m / 7
				for i, v := range span {
					out[r*cols+lo+i] = float32(math.RoundToEven(float64(v)/s) * s)
				}
			}
		}
		return out, int64(rows)*((int64(cols)+1)/2) + 4*int64(rows*groups)
	}
}

// fittedInt8 is int8 with the row scale fitted the way
// modelfile.QuantizeInt4 fits its groups: of the clip ratios 0.6..1.2, the
// one with the least error after a least-squares refit. The sweep showed it no better than max-abs,
// so QuantizeInt8 does not do it.
func fittedInt8(w []float32, rows, cols int) ([]float32, int64) {
	out := make([]float32, len(w))
	for r := range rows {
		row := w[r*cols : (r+1)*cols]
		var m float64
		for _, v := range row {
			m = max(m, math.Abs(float64(v)))
		}
		if m == 0 {
			continue
		}
		round := func(v, s float64) float64 { return max(-127, min(127, math.RoundToEven(v/s))) }
		var best float64
		bestGain := -1.0
		for k := -10; k <= 20; k++ {
			s := m * (1 - 0.02*float64(k)) / 127
			var xq, qq float64
			for _, v := range row {
				q := round(float64(v), s)
				xq += float64(v) * q
				qq += q * q
			}
			if gain := xq * xq / qq; qq > 0 && gain > bestGain {
				bestGain, best = gain, xq/qq
			}
		}
		for c, v := range row {
			out[r*cols+c] = float32(round(float64(v), best) * best)
		}
	}
	return out, int64(rows*cols) + 4*int64(rows)
}

// asymmetric4 is int4 with a zero point: levels 0..15 spanning a clipped
// [min, max] of each group, the clip chosen from a grid by squared error.
// It would need a new dtype: an f32 scale and a 4-bit zero point per group
// (counted as 5 bytes).
func asymmetric4(group int) func(w []float32, rows, cols int) ([]float32, int64) {
	return func(w []float32, rows, cols int) ([]float32, int64) {
		out := make([]float32, len(w))
		groups := (cols + group - 1) / group
		for r := range rows {
			for lo := 0; lo < cols; lo += group {
				span := w[r*cols+lo : r*cols+min(lo+group, cols)]
				dst := out[r*cols+lo:]
				mn, mx := span[0], span[0]
				for _, v := range span {
					mn, mx = min(mn, v), max(mx, v)
				}
				if mn == mx {
					copy(dst, span)
					continue
				}
				best := math.Inf(1)
				var bs, bz float64
				for k := 0; k <= 20; k++ {
					ratio := 1 - 0.02*float64(k)
					s := float64(mx-mn) * ratio / 15
					z := math.RoundToEven(-float64(mn) * ratio / s)
					var e float64
					for _, v := range span {
						q := max(0, min(15, math.RoundToEven(float64(v)/s)+z))
						d := (q-z)*s - float64(v)
						e += d * d
					}
					if e < best {
						best, bs, bz = e, s, z
					}
				}
				for i, v := range span {
					q := max(0, min(15, math.RoundToEven(float64(v)/bs)+bz))
					dst[i] = float32((q - bz) * bs)
				}
			}
		}
		return out, int64(rows)*((int64(cols)+1)/2) + 5*int64(rows*groups)
	}
}

type sweepFixture struct {
	texts   []string
	vectors [][]float32
}

// cosines embeds the fixture's texts with e and returns the mean and the
// minimum cosine to the sentence-transformers vectors.
func (fix *sweepFixture) cosines(e *engine.Engine) (mean, minimum float64, err error) {
	got, err := e.Embed(fix.texts, engine.EmbedOptions{})
	if err != nil {
		return 0, 0, err
	}
	minimum = math.Inf(1)
	for i := range got {
		c, err := similarity.Cosine(got[i].Vector, fix.vectors[i])
		if err != nil {
			return 0, 0, err
		}
		mean += float64(c)
		minimum = min(minimum, float64(c))
	}
	return mean / float64(len(got)), minimum, nil
}

// loadSweepFixture reads the sentence-transformers embeddings model/engine
// tests use; with screen set it keeps the sentences of at most 64 tokens,
// which take about a third of the encoder time of all 235.
func loadSweepFixture(t *testing.T, screen bool) *sweepFixture {
	raw, err := os.ReadFile("../engine/testdata/minilm_embeddings.json")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Dim       int
		Sentences []struct {
			Text      string
			NumTokens int `json:"num_tokens"`
		}
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	blob, err := os.ReadFile("../engine/testdata/minilm_embeddings.f32")
	if err != nil {
		t.Fatal(err)
	}
	if len(blob) != 4*meta.Dim*len(meta.Sentences) {
		t.Fatalf("minilm_embeddings.f32: %d bytes for %d × %d", len(blob), len(meta.Sentences), meta.Dim)
	}
	f := &sweepFixture{}
	for i, s := range meta.Sentences {
		if screen && s.NumTokens > 64 {
			continue
		}
		v := make([]float32, meta.Dim)
		for k := range v {
			v[k] = math.Float32frombits(binary.LittleEndian.Uint32(blob[4*(i*meta.Dim+k):]))
		}
		f.texts = append(f.texts, s.Text)
		f.vectors = append(f.vectors, v)
	}
	return f
}

// TestQuantizationSweep converts all-MiniLM-L6-v2 in every variant below,
// prints file size, engine heap after load and the cosine of the embeddings
// with sentence-transformers, and fails when the measurements no longer
// support the defaults docs/model-format.md chose with them:
//
//	WASMBERT_REAL_MODEL=1 WASMBERT_QUANT_SWEEP=screen go test -count=1 -timeout 60m -run QuantizationSweep -v ./model/checkpoint/
//
// screen uses the 203 fixture sentences of at most 64 tokens; all uses all
// 235. WASMBERT_QUANT_VARIANTS=prefix,prefix runs only the variants whose
// names start with one of the prefixes. Each variant takes 0.5 to 4 minutes
// on a loaded 2-core machine.
func TestQuantizationSweep(t *testing.T) {
	mode := os.Getenv("WASMBERT_QUANT_SWEEP")
	if mode != "screen" && mode != "all" {
		t.Skip("set WASMBERT_QUANT_SWEEP=screen or all (and WASMBERT_REAL_MODEL=1) to run the quantization sweep")
	}
	ck, err := checkpoint.Load(testmodel.CheckpointDir(t))
	if err != nil {
		t.Fatal(err)
	}
	fix := loadSweepFixture(t, mode == "screen")
	only := os.Getenv("WASMBERT_QUANT_VARIANTS") // comma-separated name prefixes
	variants := sweepVariants()
	t.Logf("%d sentences (%s)", len(fix.texts), mode)
	t.Logf("| variant | file bytes | heap after load | mean cosine | min cosine |")
	t.Logf("| --- | ---: | ---: | ---: | ---: |")
	means := map[string]float64{}
	for _, v := range variants {
		if only != "" && !hasAnyPrefix(v.name, strings.Split(only, ",")) {
			continue
		}
		size, heap, mean, minimum, err := measure(ck, v, fix)
		if err != nil {
			t.Errorf("%s: %v", v.name, err)
			continue
		}
		means[v.name] = mean
		t.Logf("| %s | %d | %.1f MiB | %.5f | %.5f |", v.name, size, float64(heap)/(1<<20), mean, minimum)
	}
	for _, e := range quantizationChoiceErrors(variants, means) {
		t.Error(e)
	}
}

// sweepVariants are the conversions TestQuantizationSweep measures, among
// them each default the converter chose and the alternatives it was chosen over.
func sweepVariants() []variant {
	f32, f16, i8 := storage{dtype: modelfile.F32}, storage{dtype: modelfile.F16}, storage{dtype: modelfile.I8}
	i4 := func(g int) storage { return storage{dtype: modelfile.I4, group: g} }
	fake := func(f func([]float32, int, int) ([]float32, int64)) storage { return storage{fake: f} }
	layer := func(ls ...int) func(string) bool {
		return func(n string) bool {
			for _, l := range ls {
				if strings.HasPrefix(n, fmt.Sprintf("encoder.layer.%d.", l)) {
					return true
				}
			}
			return false
		}
	}
	part := func(parts ...string) func(string) bool {
		return func(n string) bool {
			for _, p := range parts {
				if strings.HasSuffix(n, "."+p+".weight") {
					return true
				}
			}
			return false
		}
	}
	return []variant{
		uniform("int8 max-abs", i8, i8),
		uniform("int8 fitted", fake(fittedInt8), i8),
		uniform("int4 g32 max-abs ±7 (before)", fake(maxAbs4(32)), i8),
		uniform("int4 g16 max-abs ±7", fake(maxAbs4(16)), i8),
		uniform("int4 g32 fitted", i4(32), i8),
		uniform("int4 g16 fitted", i4(16), i8),
		uniform("int4 g32 zero-point", fake(asymmetric4(32)), i8),
		uniform("int4 g16 zero-point", fake(asymmetric4(16)), i8),
		mixed("sens int4 only query", 32, func(n string) bool { return !part("query")(n) }),
		mixed("sens int4 only key", 32, func(n string) bool { return !part("key")(n) }),
		mixed("sens int4 only value", 32, func(n string) bool { return !part("value")(n) }),
		mixed("sens int4 only attention.output", 32, func(n string) bool { return !part("attention.output.dense")(n) }),
		mixed("sens int4 only intermediate", 32, func(n string) bool { return !part("intermediate.dense")(n) }),
		mixed("sens int4 only output", 32, func(n string) bool { return !part("output.dense")(n) || part("attention.output.dense")(n) }),
		mixed("sens int4 only layer 0", 32, func(n string) bool { return !layer(0)(n) }),
		mixed("sens int4 only layer 5", 32, func(n string) bool { return !layer(5)(n) }),
		mixed("mixed g32, value i8", 32, part("value")),
		mixed("mixed g32, value+attention.output i8", 32, part("value", "attention.output.dense")),
		mixed("mixed g32, value+FFN down i8", 32, func(n string) bool { return part("value", "output.dense")(n) && !part("attention.output.dense")(n) }),
		mixed("mixed g16, value i8", 16, part("value")),
		mixed("mixed g16, value+attention.output i8", 16, part("value", "attention.output.dense")),
		uniform("emb f32 + int8", i8, f32),
		uniform("emb f16 + int8", i8, f16),
		uniform("emb i8 + int8", i8, i8),
		uniform("emb i4 g32 + int8", i8, i4(32)),
		// The encoder of --dtype int4 (g16, value and attention output i8).
		mixedEmb("emb i4 g32 + int4", 16, i4(32), part("value", "attention.output.dense")),
		mixedEmb("emb i4 g16 + int4", 16, i4(16), part("value", "attention.output.dense")),
	}
}

// quantizationChoiceErrors says where the measured mean cosines no longer
// support a choice the converter makes (docs/model-format.md). A choice is
// checked when both of its variants ran; slack is how much lower the chosen
// variant may score when it was chosen for costing nothing measurable. A
// choice naming no variant is an error too, so a renamed variant cannot turn
// a check off.
func quantizationChoiceErrors(variants []variant, means map[string]float64) []string {
	const defaultInt4 = "mixed g16, value+attention.output i8"
	choices := []struct {
		why, chosen, over string
		slack             float64
	}{
		{"int8 keeps max-abs row scales", "int8 max-abs", "int8 fitted", 1e-4},
		{"int4 fits its group scales (g16)", "int4 g16 fitted", "int4 g16 max-abs ±7", 0},
		{"int4 fits its group scales (g32)", "int4 g32 fitted", "int4 g32 max-abs ±7 (before)", 0},
		{"int4 groups 16 inputs", defaultInt4, "mixed g32, value+attention.output i8", 0},
		{"int4 keeps the attention output at i8 too", defaultInt4, "mixed g16, value i8", 0},
		{"int4 keeps value and attention output at i8 rather than the FFN down projection", defaultInt4, "mixed g32, value+FFN down i8", 0},
		{"i8 projections instead of a zero-point dtype", defaultInt4, "int4 g16 zero-point", 0},
		{"the word table defaults to i8", "emb i8 + int8", "emb f32 + int8", 1e-4},
	}
	known := map[string]bool{}
	for _, v := range variants {
		known[v.name] = true
	}
	var errs []string
	for _, c := range choices {
		if !known[c.chosen] || !known[c.over] {
			errs = append(errs, fmt.Sprintf("%s: no variant named %q or %q", c.why, c.chosen, c.over))
			continue
		}
		chosen, ok1 := means[c.chosen]
		over, ok2 := means[c.over]
		if ok1 && ok2 && chosen < over-c.slack {
			errs = append(errs, fmt.Sprintf("%s: %q mean cosine %.5f is below %q's %.5f", c.why, c.chosen, chosen, c.over, over))
		}
	}
	return errs
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// measure converts ck as v into memory, loads it and embeds the fixture. The
// size counts fake-quantized tensors at the bytes their scheme would take.
func measure(ck *checkpoint.Checkpoint, v variant, fix *sweepFixture) (size, heap int64, mean, minimum float64, err error) {
	h := &modelfile.Header{Model: ck.Config, Tokenizer: ck.Tokenizer, Pooling: ck.Pooling, Source: map[string]string{}}
	data := map[string][]float32{}
	dtypes := map[string]modelfile.DType{}
	var fakeDelta int64
	for _, name := range ck.Order {
		w := ck.Tensors[name]
		st := v.store(name, w.Shape)
		h.Tensors = append(h.Tensors, modelfile.TensorInfo{Name: name, Shape: w.Shape, GroupSize: st.group})
		data[name], dtypes[name] = w.Data, st.dtype
		if st.fake != nil {
			vals, n := st.fake(w.Data, w.Shape[0], w.Shape[1])
			data[name], dtypes[name] = vals, modelfile.F32
			fakeDelta += n - 4*int64(len(vals))
		}
	}
	var buf bytes.Buffer
	if err := modelwriter.Write(&buf, h, data, func(n string) modelfile.DType { return dtypes[n] }); err != nil {
		return 0, 0, 0, 0, err
	}
	clear(data)
	var before, after runtime.MemStats
	settle := func(m *runtime.MemStats) {
		// Twice: sync.Pool keeps its victims through one collection.
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(m)
	}
	settle(&before)
	e, err := engine.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return 0, 0, 0, 0, err
	}
	settle(&after)
	size = int64(buf.Len()) + fakeDelta
	buf = bytes.Buffer{}
	mean, minimum, err = fix.cosines(e)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	runtime.KeepAlive(e)
	return size, int64(after.HeapAlloc) - int64(before.HeapAlloc), mean, minimum, nil
}

// TestQuantizationChoiceErrors runs the sweep's guard on made-up cosines, in
// every test run (the sweep itself needs the real model and an hour): each
// choice names variants the sweep has, and a chosen variant that scores below
// the one it was chosen over is reported.
func TestQuantizationChoiceErrors(t *testing.T) {
	variants := sweepVariants()
	all := func(v float64) map[string]float64 {
		m := map[string]float64{}
		for _, x := range variants {
			m[x.name] = v
		}
		return m
	}
	worse := func(name string, by float64) map[string]float64 {
		m := all(0.99)
		m[name] -= by
		return m
	}
	tests := []struct {
		name     string
		variants []variant
		means    map[string]float64
		want     []string // substrings, one per error, in order
	}{
		{"every variant equal", variants, all(0.99), nil},
		{"nothing measured", variants, map[string]float64{}, nil},
		{"within the slack", variants, worse("int8 max-abs", 5e-5), nil},
		{"int8 past the slack", variants, worse("int8 max-abs", 2e-4), []string{`"int8 max-abs" mean cosine`}},
		{"default int4 below each alternative", variants, worse("mixed g16, value+attention.output i8", 1e-3), []string{
			"int4 groups 16 inputs", "attention output at i8 too", "rather than the FFN down projection", "zero-point",
		}},
		{"only one side measured", variants, map[string]float64{"int4 g16 fitted": 0.5}, nil},
		{"a variant renamed away", variants[1:], all(0.99), []string{`no variant named "int8 max-abs"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := quantizationChoiceErrors(tt.variants, tt.means)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors %q, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("error %d = %q, want it to mention %q", i, got[i], w)
				}
			}
		})
	}
}
