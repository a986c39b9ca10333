// Package modelwriter writes model files (docs/model-format.md). It is the
// converter's half of model/modelfile: it may use encoding/json because
// only the converter links it, while the engine's reader stays without.
package modelwriter

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// Write writes a model file. h.Tensors lists the tensors in file order with
// Name and Shape set (and GroupSize for i4, modelfile.DefaultGroupSize if
// zero); Write fills in DType (from dtypes), Offset, Size and CRC32C in
// place, so the caller can report on what was written. data holds each
// tensor's values, row-major. Format and Version are set by Write, and an
// empty Tokenizer.Type becomes modelfile.TokenizerWordPiece.
func Write(w io.Writer, h *modelfile.Header, data map[string][]float32, dtypes func(name string) modelfile.DType) error {
	h.Format, h.Version = modelfile.FormatName, modelfile.Version
	if h.Tokenizer.Type == "" {
		h.Tokenizer.Type = modelfile.TokenizerWordPiece
	}
	if len(data) != len(h.Tensors) {
		return fmt.Errorf("write model file: %d tensors in the table, %d with data", len(h.Tensors), len(data))
	}
	encoded := make([][]byte, len(h.Tensors))
	var off int64
	for i := range h.Tensors {
		t := &h.Tensors[i]
		values, ok := data[t.Name]
		if !ok {
			return fmt.Errorf("write model file: no data for tensor %s", t.Name)
		}
		t.DType = dtypes(t.Name)
		switch {
		case t.DType != modelfile.I4:
			t.GroupSize = 0
		case t.GroupSize == 0:
			t.GroupSize = modelfile.DefaultGroupSize
		}
		b, err := modelfile.EncodeTensor(t.DType, t.Shape, t.GroupSize, values)
		if err != nil {
			return fmt.Errorf("write model file: tensor %s as %s: %w", t.Name, t.DType, err)
		}
		t.CRC32C = modelfile.Checksum(b)
		t.Offset, t.Size = off, int64(len(b))
		off = alignUp(off + t.Size)
		encoded[i] = b
	}
	if err := h.Validate(); err != nil {
		return fmt.Errorf("write model file: %w", err)
	}
	js, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("write model file: header: %w", err)
	}
	// Pad the JSON with spaces (valid JSON whitespace) so data starts aligned.
	n := int64(len(js))
	js = append(js, bytes.Repeat([]byte{' '}, int(alignUp(modelfile.PreambleSize+n)-modelfile.PreambleSize-n))...)

	var pre [modelfile.PreambleSize]byte
	copy(pre[:], modelfile.Magic)
	binary.LittleEndian.PutUint32(pre[8:], modelfile.Version)
	binary.LittleEndian.PutUint64(pre[12:], uint64(len(js)))
	binary.LittleEndian.PutUint32(pre[20:], modelfile.Checksum(js))
	if _, err := w.Write(pre[:]); err != nil {
		return fmt.Errorf("write model file: %w", err)
	}
	if _, err := w.Write(js); err != nil {
		return fmt.Errorf("write model file: %w", err)
	}
	var pos int64
	for i, b := range encoded {
		t := h.Tensors[i]
		if _, err := w.Write(make([]byte, t.Offset-pos)); err != nil {
			return fmt.Errorf("write model file: %w", err)
		}
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("write model file: tensor %s: %w", t.Name, err)
		}
		pos = t.Offset + t.Size
	}
	return nil
}

func alignUp(n int64) int64 {
	return (n + modelfile.Alignment - 1) / modelfile.Alignment * modelfile.Alignment
}
