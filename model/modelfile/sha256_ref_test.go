package modelfile

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// sha256BlocksRef is FIPS 180-4, 6.2.2 as written: the 64-word schedule,
// then 64 rounds shifting the working variables. sha256Blocks must agree
// with it on every input.
func sha256BlocksRef(h *[8]uint32, p []byte) {
	var w [64]uint32
	for ; len(p) >= sha256Block; p = p[sha256Block:] {
		for i := range 16 {
			w[i] = uint32(p[4*i])<<24 | uint32(p[4*i+1])<<16 | uint32(p[4*i+2])<<8 | uint32(p[4*i+3])
		}
		for i := 16; i < 64; i++ {
			v1, v2 := w[i-2], w[i-15]
			s1 := bits.RotateLeft32(v1, -17) ^ bits.RotateLeft32(v1, -19) ^ v1>>10
			s0 := bits.RotateLeft32(v2, -7) ^ bits.RotateLeft32(v2, -18) ^ v2>>3
			w[i] = s1 + w[i-7] + s0 + w[i-16]
		}
		a, b, c, d, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
		for i := range 64 {
			t1 := hh + (bits.RotateLeft32(e, -6) ^ bits.RotateLeft32(e, -11) ^ bits.RotateLeft32(e, -25)) +
				(e&f ^ ^e&g) + sha256K[i] + w[i]
			t2 := (bits.RotateLeft32(a, -2) ^ bits.RotateLeft32(a, -13) ^ bits.RotateLeft32(a, -22)) +
				(a&b ^ a&c ^ b&c)
			hh, g, f, e, d, c, b, a = g, f, e, d+t1, c, b, a, t1+t2
		}
		h[0] += a
		h[1] += b
		h[2] += c
		h[3] += d
		h[4] += e
		h[5] += f
		h[6] += g
		h[7] += hh
	}
}

// TestSHA256BlocksRef compares the unrolled compression function with the
// reference from random chaining states, so every round sees values that no
// padded message would feed it in the same order.
func TestSHA256BlocksRef(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 40*sha256Block+3)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	for trial := range 200 {
		var state [8]uint32
		for i := range state {
			state[i] = rng.Uint32()
		}
		blocks := trial % 41
		off := rng.IntN(len(buf) - blocks*sha256Block + 1) // odd offsets: unaligned words
		p := buf[off : off+blocks*sha256Block]
		got, want := state, state
		sha256Blocks(&got, p)
		sha256BlocksRef(&want, p)
		if got != want {
			t.Fatalf("trial %d, %d blocks at offset %d: state %08x, reference %08x", trial, blocks, off, got, want)
		}
	}
}
