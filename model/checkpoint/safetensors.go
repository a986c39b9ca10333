package checkpoint

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"github.com/wasmbert/wasmbert/internal/f16"
	"io"
	"math"
	"os"
	"sort"
)

// maxSafetensorsHeader bounds the JSON header of a safetensors file.
const maxSafetensorsHeader = 100 << 20

// readSafetensors reads every tensor of a .safetensors file as float32.
// Layout: u64 LE header length, JSON {name: {dtype, shape, data_offsets}},
// then the data section the offsets point into.
func readSafetensors(path string) (map[string]Weight, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var lenBuf [8]byte
	if _, err := io.ReadFull(f, lenBuf[:]); err != nil {
		return nil, fmt.Errorf("read header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > maxSafetensorsHeader || int64(n) > st.Size()-8 {
		return nil, fmt.Errorf("header length %d does not fit a %d-byte file", n, st.Size())
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &entries); err != nil {
		return nil, fmt.Errorf("parse header: %w", err)
	}
	dataStart := 8 + int64(n)
	dataLen := st.Size() - dataStart
	names := make([]string, 0, len(entries))
	for name := range entries {
		if name != "__metadata__" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make(map[string]Weight, len(names))
	for _, name := range names {
		var e struct {
			DType       string   `json:"dtype"`
			Shape       []int    `json:"shape"`
			DataOffsets [2]int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(entries[name], &e); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", name, err)
		}
		elems, err := elementCount(e.Shape)
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", name, err)
		}
		width, ok := map[string]int64{"F32": 4, "F16": 2, "BF16": 2}[e.DType]
		if !ok && isBuffer(name) {
			continue // integer buffers such as position_ids are not weights
		}
		if !ok {
			return nil, fmt.Errorf("tensor %s: dtype %s not supported (want F32, F16 or BF16)", name, e.DType)
		}
		begin, end := e.DataOffsets[0], e.DataOffsets[1]
		if begin < 0 || end < begin || end > dataLen || end-begin != elems*width {
			return nil, fmt.Errorf("tensor %s: data offsets [%d, %d] do not hold %v %s in %d data bytes", name, begin, end, e.Shape, e.DType, dataLen)
		}
		raw := make([]byte, end-begin)
		if _, err := f.ReadAt(raw, dataStart+begin); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", name, err)
		}
		vals := make([]float32, elems)
		for i := range vals {
			switch e.DType {
			case "F32":
				vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			case "F16":
				vals[i] = f16.ToFloat32(binary.LittleEndian.Uint16(raw[2*i:]))
			case "BF16":
				vals[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(raw[2*i:])) << 16)
			}
		}
		out[name] = Weight{Shape: e.Shape, Data: vals}
	}
	return out, nil
}

// elementCount multiplies out a shape, rejecting negative dims and overflow.
func elementCount(shape []int) (int64, error) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 || (d > 0 && n > math.MaxInt32/int64(d)) {
			return 0, fmt.Errorf("bad shape %v", shape)
		}
		n *= int64(d)
	}
	return n, nil
}
