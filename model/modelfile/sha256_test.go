package modelfile

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestSHA256SumNIST(t *testing.T) {
	// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
		{strings.Repeat("a", 1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
		{"\xbd", "68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b"},
		{"\xc9\x8c\x8e\x55", "7abc22c0ae5af26ce93dbb94433a0e0b2e119d014f8e7f65bd56c61ccccd9504"},
		{strings.Repeat("\x00", 55), "02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7"},
		{strings.Repeat("\x00", 56), "d4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb"},
		{strings.Repeat("\x00", 57), "65a16cb7861335d5ace3c60718b5052e44660726da4cd13bb745381b235a1785"},
		{strings.Repeat("\x00", 64), "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b"},
		{strings.Repeat("\x00", 1000), "541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53"},
	} {
		got := sha256Sum([]byte(tc.in))
		if h := hex.EncodeToString(got[:]); h != tc.want {
			t.Errorf("sha256Sum(%d bytes) = %s, want %s", len(tc.in), h, tc.want)
		}
	}
}

// TestSHA256SumRandom compares with crypto/sha256 on every length around the
// block and padding boundaries, around the multiples of sha256Chunk, and on
// random longer inputs up to a few MiB.
func TestSHA256SumRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 5<<20)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	lengths := make([]int, 0, 300)
	for n := range 200 {
		lengths = append(lengths, n)
	}
	for _, c := range []int{sha256Chunk, 2 * sha256Chunk, 3<<20 + sha256Chunk} {
		for _, d := range []int{-65, -64, -63, -56, -55, -1, 0, 1, 55, 56, 63, 64, 65} {
			lengths = append(lengths, c+d)
		}
	}
	lengths = append(lengths, len(buf))
	for range 80 {
		lengths = append(lengths, rng.IntN(1<<18))
	}
	for range 5 {
		lengths = append(lengths, rng.IntN(len(buf)+1))
	}
	for _, n := range lengths {
		off := rng.IntN(len(buf) - n + 1)
		p := buf[off : off+n]
		if got, want := sha256Sum(p), sha256.Sum256(p); got != want {
			t.Fatalf("length %d: sha256Sum %x, crypto/sha256 %x", n, got, want)
		}
	}
}

// benchSizes are one typical tensor (1 MiB) and the word-embedding matrix
// class of size (16 MiB) the decoder hashes on load.
var benchSizes = []struct {
	name string
	n    int
}{{"1MiB", 1 << 20}, {"16MiB", 16 << 20}}

func BenchmarkSHA256Sum(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			p := make([]byte, s.n)
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				sha256Sum(p)
			}
		})
	}
}

// BenchmarkCryptoSHA256 is the comparison point: crypto/sha256 (generic Go
// code on wasm, SHA-NI/AVX2 natively). Only the test binary links it.
func BenchmarkCryptoSHA256(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			p := make([]byte, s.n)
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				sha256.Sum256(p)
			}
		})
	}
}
