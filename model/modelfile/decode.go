package modelfile

import (
	"encoding/binary"
	"errors"
	"io"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// Errors a Decoder wraps, for callers that want to tell them apart.
var (
	ErrBadMagic  = errors.New("not a wasmbert model file (bad magic)")
	ErrVersion   = errors.New("unsupported model file version")
	ErrHeader    = errors.New("invalid model file header")
	ErrTruncated = errors.New("model file truncated")
	ErrChecksum  = errors.New("checksum mismatch")
)

// Decoder reads a model file front to back from a stream.
type Decoder struct {
	r      io.Reader
	header *Header
	err    error // sticky: once reading failed, every call returns it
	next   int   // index of the next tensor in header.Tensors
	pos    int64 // bytes consumed from the data section
}

// NewDecoder returns a Decoder reading from r. It does not buffer beyond
// what it needs; wrap r in a bufio.Reader if r makes small reads expensive.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: r}
}

// Header reads and validates the header on first use and returns it.
func (d *Decoder) Header() (*Header, error) {
	if d.header == nil && d.err == nil {
		d.header, d.err = d.readHeader()
	}
	return d.header, d.err
}

func (d *Decoder) readHeader() (*Header, error) {
	var pre [PreambleSize]byte
	if _, err := io.ReadFull(d.r, pre[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errfmt.Errorf("%w: %d-byte preamble incomplete", ErrTruncated, PreambleSize)
		}
		return nil, errfmt.Errorf("read model file preamble: %w", err)
	}
	if string(pre[:8]) != Magic {
		return nil, errfmt.Errorf("%w: got %q, want %q", ErrBadMagic, string(pre[:8]), Magic)
	}
	switch v := binary.LittleEndian.Uint32(pre[8:]); {
	case v == 1:
		return nil, errfmt.Errorf("%w: file has version 1, this build reads version %d: convert the checkpoint again (wasmbert convert)", ErrVersion, Version)
	case v != Version:
		return nil, errfmt.Errorf("%w: file has version %d, this build reads version %d", ErrVersion, v, Version)
	}
	n := binary.LittleEndian.Uint64(pre[12:])
	if n > maxHeaderSize {
		return nil, errfmt.Errorf("%w: header length %d exceeds the limit of %d bytes", ErrHeader, n, maxHeaderSize)
	}
	if (PreambleSize+n)%Alignment != 0 {
		return nil, errfmt.Errorf("%w: header length %d does not end on a %d-byte boundary", ErrHeader, n, Alignment)
	}
	js, err := readN(d.r, int64(n))
	if err != nil {
		return nil, errfmt.Errorf("%w: header (%d bytes): %v", ErrTruncated, n, err)
	}
	if got, want := Checksum(js), binary.LittleEndian.Uint32(pre[20:]); got != want {
		return nil, errfmt.Errorf("%w: header: crc32c %d, preamble says %d", ErrChecksum, got, want)
	}
	h, err := decodeHeader(js)
	if err != nil {
		return nil, errfmt.Errorf("%w: %v", ErrHeader, err)
	}
	if err := h.Validate(); err != nil {
		return nil, errfmt.Errorf("%w: %v", ErrHeader, err)
	}
	return h, nil
}

// Next returns the next tensor in file order, its size and CRC32C
// verified. It returns io.EOF after the last tensor.
func (d *Decoder) Next() (*Tensor, error) {
	if _, err := d.Header(); err != nil {
		return nil, err
	}
	if d.next == len(d.header.Tensors) {
		return nil, io.EOF
	}
	t, err := d.readTensor(d.header.Tensors[d.next])
	if err != nil {
		d.err = err
		return nil, err
	}
	d.next++
	return t, nil
}

func (d *Decoder) readTensor(info TensorInfo) (*Tensor, error) {
	if gap := info.Offset - d.pos; gap > 0 {
		if n, err := io.CopyN(discard{}, d.r, gap); err != nil {
			return nil, errfmt.Errorf("%w: padding before tensor %s (%d of %d bytes): %v", ErrTruncated, info.Name, n, gap, err)
		}
	}
	data, err := readN(d.r, info.Size)
	if err != nil {
		return nil, errfmt.Errorf("%w: tensor %s (%d bytes): %v", ErrTruncated, info.Name, info.Size, err)
	}
	d.pos = info.Offset + info.Size
	if got := Checksum(data); got != info.CRC32C {
		return nil, errfmt.Errorf("%w: tensor %s: crc32c %d, header says %d", ErrChecksum, info.Name, got, info.CRC32C)
	}
	return &Tensor{TensorInfo: info, Data: data}, nil
}

// discard is io.Discard without its ReadFrom method, whose sync.Pool of
// buffers would cost the engine's wasm 9 kB for a few bytes of padding.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// readN reads exactly n bytes. Above eagerAlloc the buffer doubles only as
// bytes arrive, so a size taken from a forged header cannot make it allocate
// memory the stream does not back. The last step grows to exactly n: a
// 47 MB embedding table in a 64 MiB array (bytes.Buffer's doubling) would
// raise the wasm module's memory for good, as wasm memory never shrinks.
func readN(r io.Reader, n int64) ([]byte, error) {
	buf := make([]byte, min(n, eagerAlloc))
	got, err := io.ReadFull(r, buf)
	for err == nil && int64(got) < n {
		grown := make([]byte, min(n, 2*int64(got)))
		copy(grown, buf)
		buf = grown
		var m int
		m, err = io.ReadFull(r, buf[got:])
		got += m
	}
	if err != nil {
		if n <= eagerAlloc {
			return nil, noEOF(err)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errfmt.Errorf("got %d bytes: %w", got, io.ErrUnexpectedEOF)
		}
		return nil, err
	}
	return buf, nil
}

// noEOF reports a short read as io.ErrUnexpectedEOF: inside a file, EOF is
// always premature.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// ReadAll decodes a whole model file.
func ReadAll(r io.Reader) (*Header, []*Tensor, error) {
	d := NewDecoder(r)
	h, err := d.Header()
	if err != nil {
		return nil, nil, err
	}
	tensors := make([]*Tensor, 0, len(h.Tensors))
	for {
		t, err := d.Next()
		if err == io.EOF {
			return h, tensors, nil
		}
		if err != nil {
			return nil, nil, err
		}
		tensors = append(tensors, t)
	}
}
