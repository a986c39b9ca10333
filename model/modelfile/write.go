package modelfile

import (
	"bytes"
	"encoding/binary"
	"io"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// alignment of the data section and of every tensor in it.
const alignment = 64

// preambleSize is magic + version + header length + header CRC32C.
const preambleSize = 8 + 4 + 8 + 4

// Write writes a model file. h.Tensors lists the tensors in file order with
// Name and Shape set (and GroupSize for i4, DefaultGroupSize if zero); Write
// fills in DType (from dtypes), Offset, Size and CRC32C in place, so the
// caller can report on what was written. data holds each tensor's values,
// row-major. Format and Version are set by Write, and an empty
// Tokenizer.Type becomes TokenizerWordPiece.
func Write(w io.Writer, h *Header, data map[string][]float32, dtypes func(name string) DType) error {
	h.Format, h.Version = FormatName, Version
	if h.Tokenizer.Type == "" {
		h.Tokenizer.Type = TokenizerWordPiece
	}
	if len(data) != len(h.Tensors) {
		return errfmt.Errorf("write model file: %d tensors in the table, %d with data", len(h.Tensors), len(data))
	}
	encoded := make([][]byte, len(h.Tensors))
	var off int64
	for i := range h.Tensors {
		t := &h.Tensors[i]
		values, ok := data[t.Name]
		if !ok {
			return errfmt.Errorf("write model file: no data for tensor %s", t.Name)
		}
		t.DType = dtypes(t.Name)
		switch {
		case t.DType != I4:
			t.GroupSize = 0
		case t.GroupSize == 0:
			t.GroupSize = DefaultGroupSize
		}
		b, err := encode(t.DType, t.Shape, t.GroupSize, values)
		if err != nil {
			return errfmt.Errorf("write model file: tensor %s as %s: %w", t.Name, string(t.DType), err)
		}
		t.CRC32C = checksum(b)
		t.Offset, t.Size = off, int64(len(b))
		off = alignUp(off + t.Size)
		encoded[i] = b
	}
	if err := h.validate(); err != nil {
		return errfmt.Errorf("write model file: %w", err)
	}
	js, err := h.marshalJSON()
	if err != nil {
		return errfmt.Errorf("write model file: header: %w", err)
	}
	// Pad the JSON with spaces (valid JSON whitespace) so data starts aligned.
	js = append(js, bytes.Repeat([]byte{' '}, int(alignUp(preambleSize+int64(len(js)))-preambleSize-int64(len(js))))...)

	var pre [preambleSize]byte
	copy(pre[:], Magic)
	binary.LittleEndian.PutUint32(pre[8:], Version)
	binary.LittleEndian.PutUint64(pre[12:], uint64(len(js)))
	binary.LittleEndian.PutUint32(pre[20:], checksum(js))
	if _, err := w.Write(pre[:]); err != nil {
		return errfmt.Errorf("write model file: %w", err)
	}
	if _, err := w.Write(js); err != nil {
		return errfmt.Errorf("write model file: %w", err)
	}
	var pos int64
	for i, b := range encoded {
		t := h.Tensors[i]
		if _, err := w.Write(make([]byte, t.Offset-pos)); err != nil {
			return errfmt.Errorf("write model file: %w", err)
		}
		if _, err := w.Write(b); err != nil {
			return errfmt.Errorf("write model file: tensor %s: %w", t.Name, err)
		}
		pos = t.Offset + t.Size
	}
	return nil
}

func alignUp(n int64) int64 {
	return (n + alignment - 1) / alignment * alignment
}
