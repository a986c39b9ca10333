package modelfile

import "encoding/binary"

// The header and every tensor carry a CRC-32C (Castagnoli). On wasm it
// runs about 4x faster than SHA-256 (docs/model-format.md); integrity
// against tampering is the whole-file SHA-256 a user pins, checked outside
// the decoder. The package computes it itself, slicing by 8, as fast as
// hash/crc32 on wasm, because hash/crc32 adds 7.9 kB to the WebAssembly
// engine (its IEEE tables and CPU dispatch).
const castagnoliPoly = 0x82f63b78 // reversed

// crcTables[k][b] is the CRC of byte b followed by k zero bytes.
var crcTables = func() (t [8][256]uint32) {
	for b := range 256 {
		c := uint32(b)
		for range 8 {
			c = c>>1 ^ castagnoliPoly&-(c&1)
		}
		t[0][b] = c
	}
	for b := range 256 {
		for k := 1; k < 8; k++ {
			t[k][b] = t[k-1][b]>>8 ^ t[0][t[k-1][b]&0xff]
		}
	}
	return t
}()

// crcChunk bounds the bytes one call checksums. V8 first runs a wasm
// function as baseline code and switches to optimized code only at the
// next call, so a 12 MB embedding table in one call would be checksummed
// at the baseline speed throughout.
const crcChunk = 1 << 20

// Checksum is the CRC-32C (Castagnoli) of data, the checksum of the header and of each tensor.
func Checksum(data []byte) uint32 {
	crc := ^uint32(0)
	for len(data) > 0 {
		n := min(len(data), crcChunk)
		crc = crcUpdate(crc, data[:n])
		data = data[n:]
	}
	return ^crc
}

func crcUpdate(crc uint32, p []byte) uint32 {
	t := &crcTables
	for ; len(p) >= 8; p = p[8:] {
		lo := crc ^ binary.LittleEndian.Uint32(p)
		hi := binary.LittleEndian.Uint32(p[4:])
		crc = t[7][lo&0xff] ^ t[6][lo>>8&0xff] ^ t[5][lo>>16&0xff] ^ t[4][lo>>24] ^
			t[3][hi&0xff] ^ t[2][hi>>8&0xff] ^ t[1][hi>>16&0xff] ^ t[0][hi>>24]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}
