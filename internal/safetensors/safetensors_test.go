package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// file builds a safetensors file from header entries and a data section.
func file(t *testing.T, header map[string]any, data []byte) []byte {
	t.Helper()
	js, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
	return append(append(out, js...), data...)
}

func TestRead(t *testing.T) {
	var data []byte
	data = binary.LittleEndian.AppendUint32(data, 0x3f800000) // f32 1
	data = binary.LittleEndian.AppendUint32(data, 0xc0000000) // f32 -2
	data = binary.LittleEndian.AppendUint16(data, 0x3c00)     // f16 1
	data = binary.LittleEndian.AppendUint16(data, 0x3f80)     // bf16 1
	data = binary.LittleEndian.AppendUint64(data, 7)          // i64 buffer
	b := file(t, map[string]any{
		"__metadata__": map[string]string{"format": "pt"},
		"bf":           map[string]any{"dtype": "BF16", "shape": []int{1}, "data_offsets": []int{10, 12}},
		"a":            map[string]any{"dtype": "F32", "shape": []int{1, 2}, "data_offsets": []int{0, 8}},
		"h":            map[string]any{"dtype": "F16", "shape": []int{1}, "data_offsets": []int{8, 10}},
		"ids":          map[string]any{"dtype": "I64", "shape": []int{1}, "data_offsets": []int{12, 20}},
	}, data)
	got, err := Read(bytes.NewReader(b), func(_, dtype string) bool { return Float(dtype) })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float32{"a": {1, -2}, "h": {1}, "bf": {1}}
	if len(got) != len(want) {
		t.Fatalf("got %d tensors, want %d", len(got), len(want))
	}
	for name, v := range want {
		if !slices.Equal(got[name].Data, v) {
			t.Errorf("%s = %v, want %v", name, got[name].Data, v)
		}
	}
	if !slices.Equal(got["a"].Shape, []int{1, 2}) {
		t.Errorf("shape %v", got["a"].Shape)
	}

	errs := []struct {
		name string
		file []byte
		want string
	}{
		{"integer kept", b, "dtype I64 not supported"},
		{"truncated", b[:len(b)-12], "unexpected EOF"},
		{"huge header", binary.LittleEndian.AppendUint64(nil, 1<<40), "header length"},
		{"overlap", file(t, map[string]any{
			"x": map[string]any{"dtype": "F32", "shape": []int{2}, "data_offsets": []int{0, 8}},
			"y": map[string]any{"dtype": "F32", "shape": []int{1}, "data_offsets": []int{4, 8}},
		}, data[:8]), "data offsets"},
		{"size mismatch", file(t, map[string]any{
			"x": map[string]any{"dtype": "F32", "shape": []int{3}, "data_offsets": []int{0, 8}},
		}, data[:8]), "data offsets"},
	}
	for _, tc := range errs {
		if _, err := Read(bytes.NewReader(tc.file), nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
