package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// weightPart is one stored piece of the model file: the whole file, or one shard of it.
type weightPart struct {
	name string
	size int64 // from Content-Length or the R2 object size; -1 if unknown
	body io.Reader
}

// loadVerified streams the concatenated parts straight into load and accepts its result only
// if the sha256 of the whole stream is wantSHA256. Nothing buffers the file: load (engine.Load)
// builds the model tensor by tensor and checks each tensor's own sha256, so the file and the
// built weights are never in memory together. The whole-file digest is still checked because
// the per-tensor digests live in the header, which the stream itself supplies.
func loadVerified[T any](parts []weightPart, wantSHA256 string, maxBytes int64, load func(io.Reader) (T, error)) (T, error) {
	var zero T
	declared, known := declaredSize(parts)
	if known && declared == 0 {
		return zero, errors.New("model file is empty")
	}
	if declared > maxBytes {
		return zero, fmt.Errorf("model file is %d bytes, more than MODEL_MAX_BYTES=%d", declared, maxBytes)
	}
	readers := make([]io.Reader, len(parts))
	for i, p := range parts {
		readers[i] = &partReader{part: p}
	}
	h := sha256.New()
	stream := &limitedReader{r: io.MultiReader(readers...), max: maxBytes, left: maxBytes}
	r := io.TeeReader(stream, h)

	v, err := load(r)
	if err != nil {
		return zero, err
	}
	// The model may end before the stream does; the digest covers every byte.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return zero, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSHA256 {
		return zero, fmt.Errorf("model file sha256 is %s, MODEL_SHA256 says %s", got, wantSHA256)
	}
	return v, nil
}

// declaredSize is the sum of the parts' declared sizes, and whether every part declared one.
func declaredSize(parts []weightPart) (total int64, known bool) {
	known = true
	for _, p := range parts {
		if p.size < 0 {
			known = false
			continue
		}
		total += p.size
	}
	return total, known
}

// partReader reads one part and holds it to its declared size, so a shard cut short (or one
// that grew) is reported by name instead of shifting every byte after it.
type partReader struct {
	part weightPart
	read int64
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.part.body.Read(b)
	p.read += int64(n)
	size := p.part.size
	switch {
	case size >= 0 && p.read > size:
		return n, fmt.Errorf("read %s: longer than its declared %d bytes", p.part.name, size)
	case err == io.EOF && size >= 0 && p.read < size:
		return n, fmt.Errorf("read %s: got %d of %d bytes: %w", p.part.name, p.read, size, io.ErrUnexpectedEOF)
	case err != nil && err != io.EOF:
		return n, fmt.Errorf("read %s: %w", p.part.name, err)
	}
	return n, err
}

// limitedReader fails, rather than stopping quietly like io.LimitReader, once the stream
// passes MODEL_MAX_BYTES: parts without a declared size are only bounded here.
type limitedReader struct {
	r    io.Reader
	max  int64
	left int64
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if int64(len(b)) > l.left+1 {
		b = b[:l.left+1]
	}
	n, err := l.r.Read(b)
	if l.left -= int64(n); l.left < 0 {
		return n, fmt.Errorf("model file is more than MODEL_MAX_BYTES=%d bytes", l.max)
	}
	return n, err
}

// closeAll releases the parts' streams; a load that failed midway leaves them unread.
func closeAll(parts []weightPart) {
	for _, p := range parts {
		if c, ok := p.body.(io.Closer); ok {
			_ = c.Close() // nothing to do about a stream that will not cancel
		}
	}
}

// loadTwice opens the parts and loads them, and when that fails (a transfer cut short or
// damaged on the way, a stale object read mid-replacement) opens and loads them once more in
// the same call, so the request that found the fault gets the model instead of a 503. Only a
// second failure is returned. Failures to open are returned at once: a missing binding or
// object will not appear on a second look.
func loadTwice[T any](open func() ([]weightPart, error), load func([]weightPart) (T, error)) (T, error) {
	var zero T
	var first error
	for attempt := 1; ; attempt++ {
		parts, err := open()
		if err != nil {
			return zero, err
		}
		v, err := load(parts)
		closeAll(parts)
		switch {
		case err == nil:
			return v, nil
		case attempt == 2 && err.Error() == first.Error():
			return zero, fmt.Errorf("%w (the same on a second read)", err)
		case attempt == 2:
			return zero, fmt.Errorf("%w (on a second read; the first failed with: %v)", err, first)
		}
		first = err
	}
}
