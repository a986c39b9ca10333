package modelfile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

type modelFile struct {
	name string
	data []byte
}

// realModelFiles are the converted all-MiniLM-L6-v2 files (./build.sh
// models), or the one WASMBERT_MODEL_FILE names. With -benchtime 1x the
// first sub-benchmark a process runs measures a cold start: on wasm, V8
// still runs the decoder as baseline code.
func realModelFiles(b *testing.B) []modelFile {
	var paths []string
	if p := os.Getenv("WASMBERT_MODEL_FILE"); p != "" {
		paths = append(paths, p)
	} else {
		for _, dt := range []string{"int8", "f32"} {
			paths = append(paths, filepath.Join("..", "..", "dist", "models", "all-MiniLM-L6-v2."+dt+".wbm"))
		}
	}
	var files []modelFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Logf("skipping %s: %v (run ./build.sh models)", p, err)
			continue
		}
		files = append(files, modelFile{filepath.Base(p), data})
	}
	if len(files) == 0 {
		b.Skip("no model file")
	}
	return files
}

// BenchmarkDecodeRealModel is the decoder's part of a cold start: every
// tensor read, size-checked and hashed, from a file already in memory.
func BenchmarkDecodeRealModel(b *testing.B) {
	for _, f := range realModelFiles(b) {
		b.Run(f.name, func(b *testing.B) {
			data := f.data
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, _, err := modelfile.ReadAll(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEngineLoadRealModel is the whole load the browser waits for:
// decode, checksums, tensor conversion and weight packing.
func BenchmarkEngineLoadRealModel(b *testing.B) {
	for _, f := range realModelFiles(b) {
		b.Run(f.name, func(b *testing.B) {
			data := f.data
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := engine.Load(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
