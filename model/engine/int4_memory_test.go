package engine

import (
	"runtime"
	"testing"

	"github.com/wasmbert/wasmbert/internal/testmodel"
)

// TestMiniLMInt4HoldsLessThanInt8 loads all-MiniLM-L6-v2 at int8 and at
// int4 and compares the Go heap each engine holds: int4 keeps its encoder
// matrices as nibbles (kernel.NewInt4), so it must hold less than int8, not
// the ~2× of widening them to f32 at load.
func TestMiniLMInt4HoldsLessThanInt8(t *testing.T) {
	heap := map[string]int64{}
	for _, dtype := range []string{"int8", "int4"} {
		path := testmodel.ModelFile(t, dtype)
		var before, after runtime.MemStats
		settle := func(m *runtime.MemStats) {
			// Twice: sync.Pool keeps its victims through one collection.
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(m)
		}
		settle(&before)
		e, err := LoadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		settle(&after)
		heap[dtype] = int64(after.HeapAlloc) - int64(before.HeapAlloc)
		t.Logf("%s: %.1f MiB of Go heap after load (runtime Sys %.1f MiB)", dtype, float64(heap[dtype])/(1<<20), float64(after.Sys)/(1<<20))
		runtime.KeepAlive(e)
	}
	if heap["int4"] >= heap["int8"] {
		t.Errorf("the int4 engine holds %d bytes, the int8 one %d", heap["int4"], heap["int8"])
	}
}
