package modelfile

import (
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// TestDecodeBase64 holds decodeBase64 to encoding/base64 on random bytes of
// every length mod 3 and on malformed input.
func TestDecodeBase64(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		s := base64.StdEncoding.EncodeToString(b)
		got, ok := decodeBase64(s)
		if !ok || string(got) != string(b) {
			t.Fatalf("%d bytes: decodeBase64(%q) = %v, %v", n, s, got, ok)
		}
	}
	for _, s := range []string{"A", "AB=", "A===", "AB=C", "=AAA", "AB==AB==", "AA-A", "AA_A", "AB\nC", "AQ=a", "AB==", "AAB="} {
		_, want := base64.StdEncoding.Strict().DecodeString(s)
		if _, ok := decodeBase64(s); ok != (want == nil) {
			t.Errorf("%q: ok %v, encoding/base64 strict error %v", s, ok, want)
		}
	}
}
