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
	size int64 // from Content-Length or the R2 object size
	body io.Reader
}

// readWeights concatenates the parts into one buffer allocated once from their declared sizes
// (io.ReadAll's doubling growth peaked at twice the file in wasm memory, which never shrinks)
// and checks the sha256 of the whole before anything parses it.
func readWeights(parts []weightPart, wantSHA256 string, maxBytes int64) ([]byte, error) {
	var total int64
	for _, p := range parts {
		if p.size < 0 {
			return nil, fmt.Errorf("%s: size unknown (no Content-Length)", p.name)
		}
		total += p.size
	}
	if total == 0 {
		return nil, errors.New("model file is empty")
	}
	if total > maxBytes {
		return nil, fmt.Errorf("model file is %d bytes, more than MODEL_MAX_BYTES=%d", total, maxBytes)
	}
	buf := make([]byte, total)
	h := sha256.New()
	var off int64
	for _, p := range parts {
		chunk := buf[off : off+p.size]
		if n, err := io.ReadFull(p.body, chunk); err != nil {
			return nil, fmt.Errorf("read %s: got %d of %d bytes: %w", p.name, n, p.size, err)
		}
		if n, _ := p.body.Read(make([]byte, 1)); n > 0 {
			return nil, fmt.Errorf("read %s: longer than its declared %d bytes", p.name, p.size)
		}
		h.Write(chunk)
		off += p.size
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSHA256 {
		return nil, fmt.Errorf("model file sha256 is %s, MODEL_SHA256 says %s", got, wantSHA256)
	}
	return buf, nil
}
