//go:build wasmbert_core

package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/checkpoint"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// errWeightsRead is what the core build would see if it read a refused
// model's weights.
var errWeightsRead = errors.New("read past the header")

// TestCoreRefusesPipelineModels converts the tiny RoBERTa (BPE), XLM-R and
// e5-layout (Unigram) checkpoints and checks the core build refuses each
// with ErrNeedsFamilies, naming the families engine, from the header alone.
func TestCoreRefusesPipelineModels(t *testing.T) {
	for _, tt := range []struct{ name, tokenizer string }{{"tiny_roberta", "bpe"}, {"tiny_xlmr", "unigram"}, {"tiny_e5", "unigram"}} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.wbm")
			if _, err := checkpoint.Convert(filepath.Join("..", "bert", "testdata", tt.name), path, checkpoint.ConvertOptions{DType: modelfile.F32}); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			end := 24 + binary.LittleEndian.Uint64(raw[12:20])
			_, err = Load(io.MultiReader(bytes.NewReader(raw[:end]), &failingReader{errWeightsRead}))
			if !errors.Is(err, ErrNeedsFamilies) {
				t.Fatalf("error %v, want ErrNeedsFamilies", err)
			}
			for _, want := range []string{"wasmbert-families.wasm", "tokenizer is " + tt.tokenizer} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// TestCoreNewTokenizerErrors: an unknown type is still named as such, not
// sent to the families engine.
func TestCoreNewTokenizerErrors(t *testing.T) {
	_, err := newTokenizer(&modelfile.TokenizerConfig{Type: "wordlevel"}, 10)
	if err == nil || errors.Is(err, ErrNeedsFamilies) || !strings.Contains(err.Error(), `tokenizer type "wordlevel" not supported`) {
		t.Errorf("error %v", err)
	}
}

type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }
