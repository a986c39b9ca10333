package heads

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wasmbert/wasmbert/internal/f16"
)

type hfReference struct {
	Hidden [][]float32 `json:"hidden"`
	Logits [][]float32 `json:"logits"`
}

// TestLoadHF applies heads loaded from tiny HF checkpoints to the reference
// hidden states and compares with the logits transformers produced
// (tools/reference/make_head_fixtures.py).
func TestLoadHF(t *testing.T) {
	tests := []struct {
		dir    string
		labels string
		load   func(dir string) (func([]float32) ([]float32, error), []string, error)
	}{
		{"hf_seqcls", "billing shipping refund", func(dir string) (func([]float32) ([]float32, error), []string, error) {
			c, err := LoadHFClassifier(os.DirFS(dir))
			if err != nil {
				return nil, nil, err
			}
			return c.Logits, c.Labels, nil
		}},
		{"hf_tokcls", "O B-PER I-PER B-LOC I-LOC", func(dir string) (func([]float32) ([]float32, error), []string, error) {
			tg, err := LoadHFTagger(os.DirFS(dir))
			if err != nil {
				return nil, nil, err
			}
			return tg.Logits, tg.Labels, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := "testdata/" + tt.dir
			raw, err := os.ReadFile(dir + "/reference.json")
			if err != nil {
				t.Fatal(err)
			}
			var ref hfReference
			if err := json.Unmarshal(raw, &ref); err != nil {
				t.Fatal(err)
			}
			logits, labels, err := tt.load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(labels, " "); got != tt.labels {
				t.Fatalf("labels %q, want %q", got, tt.labels)
			}
			for i, h := range ref.Hidden {
				got, err := logits(h)
				if err != nil {
					t.Fatal(err)
				}
				for j, want := range ref.Logits[i] {
					if math.Abs(float64(got[j]-want)) > 1e-5 {
						t.Fatalf("row %d logit %d: got %v, reference %v", i, j, got[j], want)
					}
				}
			}
		})
	}
}

func TestLoadHFErrors(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/hf_tokcls/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	config, weights := string(read("config.json")), read("model.safetensors")
	tests := []struct {
		name    string
		config  string
		weights []byte
		errHas  string
	}{
		{"no weights", config, nil, "model.safetensors"},
		{"truncated weights", config, weights[:len(weights)-100], "unexpected EOF"},
		{"corrupt header length", config, append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0}, weights[8:]...), "out of range"},
		{"unknown tag", strings.Replace(config, `"B-LOC"`, `"LOCATION"`, 1), weights, `tag "LOCATION" is not O, B-TYPE or I-TYPE`},
		{"id gap", strings.Replace(config, `"4": "I-LOC"`, `"9": "I-LOC"`, 1), weights, `id2label key "9"`},
		{"wrong architecture", strings.Replace(config, "BertForTokenClassification", "BertModel", 1), weights, "no *ForTokenClassification"},
		{"label count mismatch", strings.Replace(config, `"4": "I-LOC"`, `"4": "I-LOC", "5": "B-ORG"`, 1), weights, "5 outputs for 6 labels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"config.json": {Data: []byte(tt.config)}}
			if tt.weights != nil {
				fsys["model.safetensors"] = &fstest.MapFile{Data: tt.weights}
			}
			_, err := LoadHFTagger(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}

func TestHalfToFloat(t *testing.T) {
	tests := []struct {
		h    uint16
		want float32
	}{
		{0x3c00, 1}, {0xc000, -2}, {0x3555, 0.33325195}, {0x0001, 5.9604645e-08}, {0x7bff, 65504}, {0x8000, float32(math.Copysign(0, -1))},
	}
	for _, tt := range tests {
		if got := f16.ToFloat32(tt.h); got != tt.want {
			t.Errorf("ToFloat32(%#04x) = %v, want %v", tt.h, got, tt.want)
		}
	}
}
