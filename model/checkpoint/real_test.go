package checkpoint

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// realCheckpoint fetches all-MiniLM-L6-v2 through the cache, like
// internal/testmodel (which cannot be imported here: it imports us).
func realCheckpoint(t *testing.T) string {
	if os.Getenv("WASMBERT_REAL_MODEL") != "1" {
		t.Skip("real all-MiniLM-L6-v2 not requested: set WASMBERT_REAL_MODEL=1 (./build.sh test does)")
	}
	dir, err := Fetch(context.Background(), DefaultModel, FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestConvertRealMiniLM converts the real checkpoint to every dtype, checks
// the table against config.json, f32 tensors bit for bit against the
// safetensors file, and quantized ones within their error bounds.
func TestConvertRealMiniLM(t *testing.T) {
	dir := realCheckpoint(t)
	ref, err := readSafetensors(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dt := range []modelfile.DType{modelfile.F32, modelfile.F16, modelfile.I8, modelfile.I4} {
		out := filepath.Join(t.TempDir(), "minilm."+string(dt)+".wbm")
		h, err := Convert(dir, out, ConvertOptions{DType: dt})
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(out)
		t.Logf("all-MiniLM-L6-v2 %s: %d bytes (%.1f MiB)", dt, st.Size(), float64(st.Size())/(1<<20))
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		got, tensors, err := modelfile.ReadAll(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(tensors) != 5+6*16+2 || got.Model != h.Model || got.Model.VocabSize != 30522 || got.Tokenizer.MaxSeqLength != 256 ||
			got.Pooling != (modelfile.PoolingConfig{Mode: "mean", Normalize: true}) {
			t.Fatalf("%s: %d tensors, header %+v %+v", dt, len(tensors), got.Model, got.Pooling)
		}
		for _, tt := range tensors {
			w, ok := ref[tt.Name]
			if !ok {
				t.Fatalf("%s not in the safetensors file", tt.Name)
			}
			if fmt.Sprint(w.Shape) != fmt.Sprint(tt.Shape) {
				t.Fatalf("%s: shape %v, want %v", tt.Name, tt.Shape, w.Shape)
			}
			vals, err := tt.Float32()
			if err != nil {
				t.Fatal(err)
			}
			if tt.DType == modelfile.I4 {
				checkInt4AgainstMaxAbs(t, tt.Name, w.Data, vals, w.Shape[len(w.Shape)-1], tt.GroupSize)
				continue
			}
			tol := map[modelfile.DType]float64{modelfile.F32: 0, modelfile.F16: 1.0 / 2048, modelfile.I8: 0.5 / 127}[tt.DType]
			m := 0.0
			for _, v := range w.Data {
				m = math.Max(m, math.Abs(float64(v)))
			}
			for i, v := range w.Data {
				if tt.DType == modelfile.F32 && math.Float32bits(vals[i]) != math.Float32bits(v) {
					t.Fatalf("%s %s[%d] = %g, want %g bit for bit", dt, tt.Name, i, vals[i], v)
				}
				if d := math.Abs(float64(vals[i] - v)); d > tol*m*1.0001 {
					t.Fatalf("%s %s[%d] = %g, want %g ± %g", dt, tt.Name, i, vals[i], v, tol*m)
				}
			}
		}
	}
}

// checkInt4AgainstMaxAbs holds each int4 group to the squared error of plain
// max-abs rounding onto -7..7: the converter's scale search may clip single
// values, so a per-value bound does not apply, but it must never do worse
// than the rounding it replaces.
func checkInt4AgainstMaxAbs(t *testing.T, name string, w, got []float32, cols, group int) {
	t.Helper()
	if group <= 0 {
		t.Fatalf("%s: int4 tensor without a group size", name)
	}
	for row := 0; row*cols < len(w); row++ {
		for lo := 0; lo < cols; lo += group {
			hi := min(lo+group, cols)
			ws, gs := w[row*cols+lo:row*cols+hi], got[row*cols+lo:row*cols+hi]
			m := 0.0
			for _, v := range ws {
				m = math.Max(m, math.Abs(float64(v)))
			}
			var e, ref float64
			for i, v := range ws {
				d := float64(gs[i] - v)
				e += d * d
				if m > 0 {
					s := m / 7
					r := math.Round(float64(v)/s)*s - float64(v)
					ref += r * r
				}
			}
			if e > ref*(1+1e-4)+1e-12 {
				t.Fatalf("%s row %d cols [%d,%d): squared error %g, max-abs rounding gives %g", name, row, lo, hi, e, ref)
			}
		}
	}
}
