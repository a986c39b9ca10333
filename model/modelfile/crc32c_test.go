package modelfile

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestChecksumMatchesHashCRC32 holds the package's CRC-32C to the standard
// library's on random data of odd lengths and offsets, across chunks.
func TestChecksumMatchesHashCRC32(t *testing.T) {
	table := crc32.MakeTable(crc32.Castagnoli)
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 2*crcChunk+37)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 63, 1000, crcChunk - 1, crcChunk, crcChunk + 9, len(data) - 3} {
		for _, off := range []int{0, 1, 3} {
			p := data[off : off+n]
			if got, want := Checksum(p), crc32.Checksum(p, table); got != want {
				t.Fatalf("%d bytes at %d: %08x, want %08x", n, off, got, want)
			}
		}
	}
	// The check value of the CRC catalogue.
	if got := Checksum([]byte("123456789")); got != 0xe3069283 {
		t.Fatalf("check value %08x, want e3069283", got)
	}
}
