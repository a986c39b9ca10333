package modelfile

import (
	"encoding/binary"
	"math/bits"
)

// sha256Sum returns the SHA-256 digest of data (FIPS 180-4). The package
// has its own because crypto/sha256 links the whole FIPS 140 module (AES,
// GCM, DRBG, ...) into the WebAssembly engine, about half a megabyte for one
// hash. On wasm, where crypto/sha256 has no assembly either, this one is
// faster; elsewhere sum256 uses crypto/sha256 and its SHA-NI/AVX2 code.
func sha256Sum(data []byte) [32]byte {
	h := sha256Init
	n := len(data) &^ (sha256Block - 1)
	// V8 first runs a wasm function as baseline (Liftoff) code, 5-10x
	// slower, and switches to optimized code only at the next call: it
	// cannot replace a running call. Hashing a 45 MB embedding table in one
	// call would run all of it, the first tensor of every model file, at
	// the baseline speed.
	for p := data[:n]; len(p) > 0; {
		c := min(len(p), sha256Chunk)
		sha256Blocks(&h, p[:c])
		p = p[c:]
	}

	// Padding: a 1 bit, zeros, then the message length in bits, big endian,
	// filling one or two final blocks.
	var tail [2 * sha256Block]byte
	rest := copy(tail[:], data[n:])
	tail[rest] = 0x80
	end := sha256Block
	if rest+1+8 > sha256Block {
		end = 2 * sha256Block
	}
	binary.BigEndian.PutUint64(tail[end-8:], uint64(len(data))<<3)
	sha256Blocks(&h, tail[:end])

	var sum [32]byte
	for i, v := range h {
		binary.BigEndian.PutUint32(sum[4*i:], v)
	}
	return sum
}

const (
	sha256Block = 64
	// sha256Chunk bounds the bytes hashed per sha256Blocks call (see
	// sha256Sum): a few milliseconds at baseline speed.
	sha256Chunk = 64 << 10
)

// sha256Init is the initial hash value (FIPS 180-4, 5.3.3).
var sha256Init = [8]uint32{
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
}

// sha256K are the round constants (FIPS 180-4, 4.2.2).
var sha256K = [64]uint32{
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

// sha256Blocks runs the compression function over p, a whole number of
// 64-byte blocks (FIPS 180-4, 6.2.2). It is the plain loop of the standard
// unrolled by 16 rounds, which is what makes it fast on wasm: the schedule is
// a 16-word ring indexed by constants, the rounds rename the working
// variables instead of shifting them, and the hash state stays in locals
// across blocks. (All 64 rounds unrolled, or the ring in 16 local variables,
// measured no faster: Go's wasm backend has 16 registers and spills the rest.
// Nor did one 32-bit load + bits.ReverseBytes32 per word: wasm has no byte
// swap. SIMD across four messages would need the decoder to hold tensors
// back, and the first one, the embedding table, is half the file.)
func sha256Blocks(s *[8]uint32, p []byte) {
	h0, h1, h2, h3, h4, h5, h6, h7 := s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
	var w [16]uint32
	for ; len(p) >= sha256Block; p = p[sha256Block:] {
		blk := (*[sha256Block]byte)(p)
		w[0] = binary.BigEndian.Uint32(blk[0:])
		w[1] = binary.BigEndian.Uint32(blk[4:])
		w[2] = binary.BigEndian.Uint32(blk[8:])
		w[3] = binary.BigEndian.Uint32(blk[12:])
		w[4] = binary.BigEndian.Uint32(blk[16:])
		w[5] = binary.BigEndian.Uint32(blk[20:])
		w[6] = binary.BigEndian.Uint32(blk[24:])
		w[7] = binary.BigEndian.Uint32(blk[28:])
		w[8] = binary.BigEndian.Uint32(blk[32:])
		w[9] = binary.BigEndian.Uint32(blk[36:])
		w[10] = binary.BigEndian.Uint32(blk[40:])
		w[11] = binary.BigEndian.Uint32(blk[44:])
		w[12] = binary.BigEndian.Uint32(blk[48:])
		w[13] = binary.BigEndian.Uint32(blk[52:])
		w[14] = binary.BigEndian.Uint32(blk[56:])
		w[15] = binary.BigEndian.Uint32(blk[60:])
		a, b, c, d, e, f, g, h := h0, h1, h2, h3, h4, h5, h6, h7
		for r := 0; r < 64; r += 16 {
			if r > 0 {
				// w[i] becomes W(t) for t = r+i: the ring holds W(t-16).
				w[0] += sha256Sigma1(w[14]) + w[9] + sha256Sigma0(w[1])
				w[1] += sha256Sigma1(w[15]) + w[10] + sha256Sigma0(w[2])
				w[2] += sha256Sigma1(w[0]) + w[11] + sha256Sigma0(w[3])
				w[3] += sha256Sigma1(w[1]) + w[12] + sha256Sigma0(w[4])
				w[4] += sha256Sigma1(w[2]) + w[13] + sha256Sigma0(w[5])
				w[5] += sha256Sigma1(w[3]) + w[14] + sha256Sigma0(w[6])
				w[6] += sha256Sigma1(w[4]) + w[15] + sha256Sigma0(w[7])
				w[7] += sha256Sigma1(w[5]) + w[0] + sha256Sigma0(w[8])
				w[8] += sha256Sigma1(w[6]) + w[1] + sha256Sigma0(w[9])
				w[9] += sha256Sigma1(w[7]) + w[2] + sha256Sigma0(w[10])
				w[10] += sha256Sigma1(w[8]) + w[3] + sha256Sigma0(w[11])
				w[11] += sha256Sigma1(w[9]) + w[4] + sha256Sigma0(w[12])
				w[12] += sha256Sigma1(w[10]) + w[5] + sha256Sigma0(w[13])
				w[13] += sha256Sigma1(w[11]) + w[6] + sha256Sigma0(w[14])
				w[14] += sha256Sigma1(w[12]) + w[7] + sha256Sigma0(w[15])
				w[15] += sha256Sigma1(w[13]) + w[8] + sha256Sigma0(w[0])
			}
			k := (*[16]uint32)(sha256K[r:])
			d, h = sha256Round(a, b, c, d, e, f, g, h, k[0]+w[0])
			c, g = sha256Round(h, a, b, c, d, e, f, g, k[1]+w[1])
			b, f = sha256Round(g, h, a, b, c, d, e, f, k[2]+w[2])
			a, e = sha256Round(f, g, h, a, b, c, d, e, k[3]+w[3])
			h, d = sha256Round(e, f, g, h, a, b, c, d, k[4]+w[4])
			g, c = sha256Round(d, e, f, g, h, a, b, c, k[5]+w[5])
			f, b = sha256Round(c, d, e, f, g, h, a, b, k[6]+w[6])
			e, a = sha256Round(b, c, d, e, f, g, h, a, k[7]+w[7])
			d, h = sha256Round(a, b, c, d, e, f, g, h, k[8]+w[8])
			c, g = sha256Round(h, a, b, c, d, e, f, g, k[9]+w[9])
			b, f = sha256Round(g, h, a, b, c, d, e, f, k[10]+w[10])
			a, e = sha256Round(f, g, h, a, b, c, d, e, k[11]+w[11])
			h, d = sha256Round(e, f, g, h, a, b, c, d, k[12]+w[12])
			g, c = sha256Round(d, e, f, g, h, a, b, c, k[13]+w[13])
			f, b = sha256Round(c, d, e, f, g, h, a, b, k[14]+w[14])
			e, a = sha256Round(b, c, d, e, f, g, h, a, k[15]+w[15])
		}
		h0 += a
		h1 += b
		h2 += c
		h3 += d
		h4 += e
		h5 += f
		h6 += g
		h7 += h
	}
	s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7] = h0, h1, h2, h3, h4, h5, h6, h7
}

// sha256Round is one round of the compression function with the working
// variables passed in their current roles; it returns the new d and h, and
// the caller renames the eight for the next round. kw is K(t)+W(t).
func sha256Round(a, b, c, d, e, f, g, h, kw uint32) (uint32, uint32) {
	h += (bits.RotateLeft32(e, -6) ^ bits.RotateLeft32(e, -11) ^ bits.RotateLeft32(e, -25)) + (g ^ e&(f^g)) + kw
	d += h
	h += (bits.RotateLeft32(a, -2) ^ bits.RotateLeft32(a, -13) ^ bits.RotateLeft32(a, -22)) + (a&b | c&(a|b))
	return d, h
}

// sha256Sigma0 and sha256Sigma1 are the message schedule functions σ0, σ1.
func sha256Sigma0(x uint32) uint32 {
	return bits.RotateLeft32(x, -7) ^ bits.RotateLeft32(x, -18) ^ x>>3
}

func sha256Sigma1(x uint32) uint32 {
	return bits.RotateLeft32(x, -17) ^ bits.RotateLeft32(x, -19) ^ x>>10
}

// hexDigest spells a digest as 64 lowercase hex digits, as the header stores
// it (encoding/hex would bring fmt into the engine for its error type).
func hexDigest(sum [32]byte) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 2*len(sum))
	for i, v := range sum {
		b[2*i], b[2*i+1] = digits[v>>4], digits[v&15]
	}
	return string(b)
}

// isHexDigest reports whether s spells a SHA-256 digest: 64 hex digits.
func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
