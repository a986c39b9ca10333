// Package safetensors reads float tensors from a safetensors stream: a u64
// little-endian header length, a JSON header {name: {dtype, shape,
// data_offsets}}, then the data the offsets point into. It reads front to
// back, skipping the tensors the caller does not want, so a file is never
// held whole. It is the one reader of the format for the converter, the
// heads and the tests.
package safetensors

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/wasmbert/wasmbert/internal/f16"
)

// maxHeader bounds the JSON header so a corrupt length cannot make Read
// allocate gigabytes.
const maxHeader = 100 << 20

// Tensor is one tensor as float32, row-major.
type Tensor struct {
	Shape []int
	Data  []float32
}

// Float reports the dtypes Read converts to float32: F32, F16 and BF16.
func Float(dtype string) bool {
	return dtype == "F32" || dtype == "F16" || dtype == "BF16"
}

type entry struct {
	name    string
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// Read reads the tensors keep accepts (keep nil: all of them); a kept
// tensor whose dtype is not Float is an error. Tensors must not overlap.
func Read(r io.Reader, keep func(name, dtype string) bool) (map[string]Tensor, error) {
	var lenBuf [8]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return nil, fmt.Errorf("read header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n == 0 || n > maxHeader {
		return nil, fmt.Errorf("header length %d out of range 1..%d", n, maxHeader)
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("read header (%d bytes): %w", n, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return nil, fmt.Errorf("parse header: %w", err)
	}
	var entries []entry
	for name, msg := range raw {
		if name == "__metadata__" {
			continue
		}
		e := entry{name: name}
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", name, err)
		}
		if keep == nil || keep(name, e.DType) {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.Offsets[0], b.Offsets[0]) })
	out := make(map[string]Tensor, len(entries))
	var pos int64
	for _, e := range entries {
		t, err := readTensor(r, e, pos)
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", e.name, err)
		}
		pos = e.Offsets[1]
		out[e.name] = t
	}
	return out, nil
}

// readTensor reads e from r, which stands at data offset pos.
func readTensor(r io.Reader, e entry, pos int64) (Tensor, error) {
	if !Float(e.DType) {
		return Tensor{}, fmt.Errorf("dtype %s not supported (want F32, F16 or BF16)", e.DType)
	}
	elems, err := ElementCount(e.Shape)
	if err != nil {
		return Tensor{}, err
	}
	width := int64(2)
	if e.DType == "F32" {
		width = 4
	}
	begin, end := e.Offsets[0], e.Offsets[1]
	if begin < pos || end-begin != elems*width {
		return Tensor{}, fmt.Errorf("data offsets [%d, %d] do not hold %v %s after offset %d", begin, end, e.Shape, e.DType, pos)
	}
	if _, err := io.CopyN(io.Discard, r, begin-pos); err != nil {
		return Tensor{}, fmt.Errorf("data offsets [%d, %d]: %w", begin, end, noEOF(err))
	}
	buf := make([]byte, end-begin)
	if _, err := io.ReadFull(r, buf); err != nil {
		return Tensor{}, fmt.Errorf("data offsets [%d, %d]: %w", begin, end, noEOF(err))
	}
	v := make([]float32, elems)
	for i := range v {
		switch e.DType {
		case "F32":
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
		case "F16":
			v[i] = f16.ToFloat32(binary.LittleEndian.Uint16(buf[2*i:]))
		case "BF16":
			v[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(buf[2*i:])) << 16)
		}
	}
	return Tensor{Shape: e.Shape, Data: v}, nil
}

// ElementCount multiplies out a tensor shape, rejecting negative dims and
// counts past MaxInt32; the PyTorch reader shares it.
func ElementCount(shape []int) (int64, error) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 || (d > 0 && n > math.MaxInt32/int64(d)) {
			return 0, fmt.Errorf("bad shape %v", shape)
		}
		n *= int64(d)
	}
	return n, nil
}

// noEOF reports a short read inside the file as io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
