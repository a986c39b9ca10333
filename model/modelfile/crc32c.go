package modelfile

import "hash/crc32"

// castagnoli is the CRC-32C polynomial's table, the checksum of the header
// and of every tensor. On wasm it runs about 5x faster than SHA-256
// (docs/model-format.md); integrity against tampering is the whole-file
// SHA-256 a user pins, checked outside the decoder.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crcChunk bounds the bytes one call checksums. V8 first runs a wasm
// function as baseline code and switches to optimized code only at the
// next call, so a 12 MB embedding table in one call would be checksummed
// at the baseline speed throughout.
const crcChunk = 1 << 20

func checksum(data []byte) uint32 {
	var sum uint32
	for len(data) > 0 {
		n := min(len(data), crcChunk)
		sum = crc32.Update(sum, castagnoli, data[:n])
		data = data[n:]
	}
	return sum
}
