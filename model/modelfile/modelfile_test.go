package modelfile_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	. "github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/modelwriter"
)

// tinyModel returns a header and data for a small model with tensors of
// several ranks and odd sizes.
func tinyModel() (*Header, map[string][]float32) {
	rng := rand.New(rand.NewPCG(7, 8))
	shapes := []struct {
		name  string
		shape []int
	}{
		{"embeddings.word_embeddings.weight", []int{11, 8}},
		{"embeddings.LayerNorm.weight", []int{8}},
		{"encoder.layer.0.attention.self.query.weight", []int{8, 8}},
		{"encoder.layer.0.attention.self.query.bias", []int{8}},
		{"encoder.layer.0.intermediate.dense.weight", []int{13, 8}},
		{"encoder.layer.0.output.dense.weight", []int{8, 13}},
		{"pooler.dense.weight", []int{3, 5}},
	}
	h := &Header{
		Model:     BertConfig{VocabSize: 11, HiddenSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2, IntermediateSize: 13, LayerNormEps: 1e-12, HiddenAct: "gelu"},
		Tokenizer: TokenizerConfig{Vocab: []string{"[PAD]", "[UNK]", "héllo"}, DoLowerCase: true, UnkToken: "[UNK]"},
		Pooling:   PoolingConfig{Mode: "mean", Normalize: true},
		Source:    map[string]string{"test": "tiny"},
	}
	data := map[string][]float32{}
	for _, s := range shapes {
		h.Tensors = append(h.Tensors, TensorInfo{Name: s.name, Shape: s.shape})
		n := 1
		for _, d := range s.shape {
			n *= d
		}
		data[s.name] = RandomMatrix(rng, 1, n)
	}
	return h, data
}

// weightsAs stores 2-D tensors as dt and the rest as f32, like Convert.
func weightsAs(h *Header, dt DType) func(string) DType {
	return func(name string) DType {
		if h.Tensor(name) != nil && len(h.Tensor(name).Shape) == 2 {
			return dt
		}
		return F32
	}
}

func encodeTiny(t *testing.T, dt DType) []byte {
	t.Helper()
	h, data := tinyModel()
	var buf bytes.Buffer
	if err := modelwriter.Write(&buf, h, data, weightsAs(h, dt)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		dtype DType
		// tol is the allowed error relative to the tensor's max |value|.
		tol float64
	}{
		{F32, 0},
		{F16, 1.0 / 2048},
		{I8, 0.5 / 127},
		{I4, 0.5 / 7},
	}
	for _, tc := range tests {
		t.Run(string(tc.dtype), func(t *testing.T) {
			h, data := tinyModel()
			var buf bytes.Buffer
			if err := modelwriter.Write(&buf, h, data, weightsAs(h, tc.dtype)); err != nil {
				t.Fatal(err)
			}
			got, tensors, err := ReadAll(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if got.Tokenizer.Vocab[2] != "héllo" || got.Pooling != h.Pooling || got.Model != h.Model || got.Source["test"] != "tiny" {
				t.Errorf("header fields changed: %+v", got)
			}
			if len(tensors) != len(h.Tensors) {
				t.Fatalf("%d tensors, want %d", len(tensors), len(h.Tensors))
			}
			for i, tt := range tensors {
				if tt.Name != h.Tensors[i].Name {
					t.Fatalf("tensor %d is %s, want %s (file order)", i, tt.Name, h.Tensors[i].Name)
				}
				if tt.Offset%Alignment != 0 {
					t.Errorf("%s: offset %d not aligned", tt.Name, tt.Offset)
				}
				vals, err := tt.Float32()
				if err != nil {
					t.Fatal(err)
				}
				want := data[tt.Name]
				m := float64(MaxAbs(want))
				for j := range want {
					if d := math.Abs(float64(vals[j] - want[j])); d > tc.tol*m*1.0001 {
						t.Fatalf("%s[%d] = %g, want %g (±%g)", tt.Name, j, vals[j], want[j], tc.tol*m)
					}
				}
				if tt.DType == I8 {
					q, scale, err := tt.Int8()
					if err != nil || len(q) != tt.Shape[0]*tt.Shape[1] || len(scale) != tt.Shape[0] {
						t.Fatalf("%s Int8: %d, %d, %v", tt.Name, len(q), len(scale), err)
					}
				} else if _, _, err := tt.Int8(); err == nil {
					t.Errorf("%s: Int8 on dtype %s did not fail", tt.Name, tt.DType)
				}
			}
		})
	}
}

// TestDataAligned checks the preamble + header end on a 64-byte boundary.
func TestDataAligned(t *testing.T) {
	b := encodeTiny(t, F32)
	n := binary.LittleEndian.Uint64(b[12:])
	if (PreambleSize+n)%64 != 0 {
		t.Fatalf("data starts at %d", PreambleSize+n)
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(h *Header, data map[string][]float32)
		dtype  DType
		want   string
	}{
		{"missing data", func(h *Header, d map[string][]float32) { delete(d, "pooler.dense.weight"); d["x"] = nil }, F32, "no data for tensor pooler.dense.weight"},
		{"wrong length", func(h *Header, d map[string][]float32) { d["pooler.dense.weight"] = d["pooler.dense.weight"][:3] }, F32, "3 values for shape [3 5]"},
		{"NaN quantized", func(h *Header, d map[string][]float32) { d["pooler.dense.weight"][4] = float32(math.NaN()) }, I8, "non-finite"},
		{"bad pooling", func(h *Header, d map[string][]float32) { h.Pooling.Mode = "sum" }, F32, "pooling mode"},
		{"unknown model type", func(h *Header, d map[string][]float32) { h.Model.ModelType = "gpt2" }, F32, `model_type "gpt2" not supported`},
		{"xlnet without its key", func(h *Header, d map[string][]float32) { h.Model.ModelType = ModelTypeXLNet }, F32, "model_type xlnet without the xlnet key"},
		{"xlnet key on bert", func(h *Header, d map[string][]float32) { h.XLNet = &XLNetConfig{DHead: 4} }, F32, `xlnet key in the header of a model_type "" model`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, data := tinyModel()
			tc.mutate(h, data)
			err := modelwriter.Write(io.Discard, h, data, weightsAs(h, tc.dtype))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	h, data := tinyModel()
	err := modelwriter.Write(io.Discard, h, data, func(string) DType { return I8 })
	if err == nil || !strings.Contains(err.Error(), "needs a 2-D shape") {
		t.Fatalf("i8 on a 1-D tensor: err = %v", err)
	}
}

// withHeader re-encodes a valid file with its JSON header edited by f.
func withHeader(t *testing.T, f func(h map[string]any)) []byte {
	t.Helper()
	return withRawHeader(t, func(js []byte) []byte {
		var h map[string]any
		if err := jsonUnmarshal(js, &h); err != nil {
			t.Fatal(err)
		}
		f(h)
		return jsonMarshal(t, h)
	})
}

// withRawHeader re-encodes a valid file with its header bytes edited by f,
// the header checksum updated.
func withRawHeader(t *testing.T, f func(js []byte) []byte) []byte {
	t.Helper()
	b := encodeTiny(t, I8)
	n := binary.LittleEndian.Uint64(b[12:])
	js := f(bytes.Clone(b[PreambleSize : PreambleSize+n]))
	pad := (Alignment - (PreambleSize+len(js))%Alignment) % Alignment
	js = append(js, bytes.Repeat([]byte{' '}, pad)...)
	out := append([]byte(nil), b[:PreambleSize]...)
	binary.LittleEndian.PutUint64(out[12:], uint64(len(js)))
	binary.LittleEndian.PutUint32(out[20:], Checksum(js))
	out = append(out, js...)
	return append(out, b[PreambleSize+n:]...)
}

func tensorField(i int, key string, v any) func(map[string]any) {
	return func(h map[string]any) { h["tensors"].([]any)[i].(map[string]any)[key] = v }
}

func TestDecodeErrors(t *testing.T) {
	valid := encodeTiny(t, I8)
	hdrLen := binary.LittleEndian.Uint64(valid[12:])
	dataStart := int(PreambleSize + hdrLen)
	patch := func(at int, b ...byte) []byte {
		out := bytes.Clone(valid)
		copy(out[at:], b)
		return out
	}
	u64 := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	tests := []struct {
		name  string
		file  []byte
		want  error
		match string
	}{
		{"empty", nil, ErrTruncated, "preamble"},
		{"short preamble", valid[:10], ErrTruncated, "preamble"},
		{"wrong magic", patch(0, []byte("GGUF\x00\x00\x00\x00")...), ErrBadMagic, `"GGUF`},
		{"wrong version", patch(8, 3, 0, 0, 0), ErrVersion, "version 3"},
		{"version 1", patch(8, 1, 0, 0, 0), ErrVersion, "convert the checkpoint again"},
		{"oversized header", patch(12, u64(1<<40)...), ErrHeader, "exceeds the limit"},
		{"header length not aligned", patch(12, u64(hdrLen-1)...), ErrHeader, "boundary"},
		{"truncated header", valid[:PreambleSize+10], ErrTruncated, "header"},
		{"flipped header byte", patch(PreambleSize+5, valid[PreambleSize+5]^0x01), ErrChecksum, "header"},
		{"flipped header checksum", patch(20, valid[20]^0x01), ErrChecksum, "header"},
		{"corrupt json", withRawHeader(t, func(js []byte) []byte { js[0] = '['; return js }), ErrHeader, ""},
		{"wrong format", withHeader(t, func(h map[string]any) { h["format"] = "gguf" }), ErrHeader, "format"},
		{"bogus size", withHeader(t, tensorField(0, "size", 1<<50)), ErrHeader, "embeddings.word_embeddings.weight: size"},
		{"huge shape", withHeader(t, tensorField(0, "shape", []int{1 << 30, 1 << 30})), ErrHeader, "elements"},
		{"negative dim", withHeader(t, tensorField(1, "shape", []int{-8})), ErrHeader, "bad dim"},
		{"unknown dtype", withHeader(t, tensorField(1, "dtype", "f64")), ErrHeader, "unknown dtype"},
		{"misaligned offset", withHeader(t, tensorField(1, "offset", 1)), ErrHeader, "offset"},
		{"overlapping", withHeader(t, tensorField(2, "offset", 0)), ErrHeader, "overlapping"},
		{"duplicate", withHeader(t, tensorField(1, "name", "embeddings.word_embeddings.weight")), ErrHeader, "twice"},
		{"no tensors", withHeader(t, func(h map[string]any) { h["tensors"] = []any{} }), ErrHeader, "no tensors"},
		{"bad crc32c", withHeader(t, tensorField(0, "crc32c", 1<<32)), ErrHeader, "crc32c"},
		{"flipped data byte", patch(dataStart+3, valid[dataStart+3]^0xff), ErrChecksum, "embeddings.word_embeddings.weight"},
		{"truncated data", valid[:len(valid)-7], ErrTruncated, "pooler.dense.weight"},
		{"truncated in padding", valid[:dataStart+140], ErrTruncated, "embeddings.LayerNorm.weight"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadAll(bytes.NewReader(tc.file))
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.match) {
				t.Fatalf("err = %v, want %v containing %q", err, tc.want, tc.match)
			}
		})
	}
}

// TestTruncatedHugeTensorAllocatesLittle: a header may claim a tensor of
// gigabytes; reading it from a short stream must not allocate that much.
func TestTruncatedHugeTensorAllocatesLittle(t *testing.T) {
	file := withHeader(t, func(h map[string]any) {
		ts := h["tensors"].([]any)
		t0 := ts[0].(map[string]any)
		t0["shape"] = []int{1 << 15, 1 << 14} // 2 GiB of f32
		t0["dtype"] = "f32"
		t0["size"] = int64(1) << 31
		h["tensors"] = ts[:1]
	})
	var before, after runtimeMem
	before.read()
	_, _, err := ReadAll(bytes.NewReader(file))
	after.read()
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if grew := after.total - before.total; grew > 64<<20 {
		t.Fatalf("allocated %d bytes for a truncated stream of %d bytes", grew, len(file))
	}
}
