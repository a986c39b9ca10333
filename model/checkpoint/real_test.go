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
			tol := map[modelfile.DType]float64{modelfile.F32: 0, modelfile.F16: 1.0 / 2048, modelfile.I8: 0.5 / 127, modelfile.I4: 0.5 / 7}[tt.DType]
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
