package heads

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"github.com/wasmbert/wasmbert/internal/f16"
	"io"
	"math"
	"slices"
)

// maxSafetensorsHeader bounds the JSON header so a corrupt length cannot
// make us allocate gigabytes.
const maxSafetensorsHeader = 100 << 20

type tensor struct {
	shape []int
	data  []float32
}

type safetensorsEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// readSafetensors reads the named tensors (F32, F16 or BF16, returned as
// float32) from a safetensors stream, skipping the others without holding
// the whole file in memory.
func readSafetensors(r io.Reader, names []string) (map[string]*tensor, error) {
	var n uint64
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
		return nil, fmt.Errorf("header length: %w", err)
	}
	if n == 0 || n > maxSafetensorsHeader {
		return nil, fmt.Errorf("header length %d out of range", n)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(raw, &header); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	entries := make(map[string]safetensorsEntry, len(names))
	for _, name := range names {
		msg, ok := header[name]
		if !ok {
			return nil, fmt.Errorf("no tensor %q", name)
		}
		var e safetensorsEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("tensor %q: %w", name, err)
		}
		entries[name] = e
	}

	byOffset := slices.Clone(names)
	slices.SortFunc(byOffset, func(a, b string) int { return int(entries[a].Offsets[0] - entries[b].Offsets[0]) })
	out := make(map[string]*tensor, len(names))
	var pos int64
	for _, name := range byOffset {
		e := entries[name]
		size, width := int64(1), int64(0)
		for _, d := range e.Shape {
			if d < 0 {
				return nil, fmt.Errorf("tensor %q: negative shape %v", name, e.Shape)
			}
			size *= int64(d)
		}
		switch e.DType {
		case "F32":
			width = 4
		case "F16", "BF16":
			width = 2
		default:
			return nil, fmt.Errorf("tensor %q: dtype %s not supported", name, e.DType)
		}
		if e.Offsets[0] < pos || e.Offsets[1]-e.Offsets[0] != size*width {
			return nil, fmt.Errorf("tensor %q: data offsets %v do not fit shape %v of %s", name, e.Offsets, e.Shape, e.DType)
		}
		if _, err := io.CopyN(io.Discard, r, e.Offsets[0]-pos); err != nil {
			return nil, fmt.Errorf("tensor %q: %w", name, err)
		}
		buf := make([]byte, size*width)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("tensor %q: %w", name, err)
		}
		pos = e.Offsets[1]
		out[name] = &tensor{shape: e.Shape, data: decodeFloats(buf, e.DType)}
	}
	return out, nil
}

func decodeFloats(buf []byte, dtype string) []float32 {
	switch dtype {
	case "F32":
		v := make([]float32, len(buf)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
		}
		return v
	case "BF16":
		v := make([]float32, len(buf)/2)
		for i := range v {
			v[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(buf[2*i:])) << 16)
		}
		return v
	default: // F16
		v := make([]float32, len(buf)/2)
		for i := range v {
			v[i] = f16.ToFloat32(binary.LittleEndian.Uint16(buf[2*i:]))
		}
		return v
	}
}
