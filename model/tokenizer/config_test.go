package tokenizer_test

import (
	"slices"
	"sync"
	"testing"

	. "github.com/wasmbert/wasmbert/model/tokenizer"
)

// TestConfigRoundTrip checks that a tokenizer rebuilt from Config(), as the model file
// stores it, encodes like the one loaded from tokenizer.json.
func TestConfigRoundTrip(t *testing.T) {
	for _, dir := range []string{"uncased", "cased"} {
		orig := loadDir(t, dir)
		rebuilt, err := New(orig.Config())
		if err != nil {
			t.Fatal(err)
		}
		for _, fx := range readFixtures(t, dir) {
			a, b := orig.Encode(fx.Text, fx.MaxLength), rebuilt.Encode(fx.Text, fx.MaxLength)
			if !slices.Equal(a.IDs, b.IDs) || !slices.Equal(a.Offsets, b.Offsets) {
				t.Fatalf("%s: %q encodes differently after the round trip", dir, fx.Text)
			}
		}
	}
}

func TestDuplicateVocabEntryLaterIDWins(t *testing.T) {
	tok := newTestTokenizer(t, Config{Vocab: []string{"a", "b", "a"}})
	if id, _ := tok.TokenID("a"); id != int32(len(specials)+2) {
		t.Errorf("TokenID(a) = %d, want the later id %d", id, len(specials)+2)
	}
}

// TestConcurrentEncode checks that one Tokenizer serves goroutines at once
// (run with -race).
func TestConcurrentEncode(t *testing.T) {
	tok := loadDir(t, "uncased")
	fixtures := readFixtures(t, "uncased")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, fx := range fixtures {
				var e Encoding
				if fx.Pair != nil {
					e = tok.EncodePair(fx.Text, *fx.Pair, fx.MaxLength)
				} else {
					e = tok.Encode(fx.Text, fx.MaxLength)
				}
				if !slices.Equal(e.IDs, fx.IDs) {
					t.Errorf("%q: ids %v, want %v", fx.Text, e.IDs, fx.IDs)
					return
				}
			}
		}()
	}
	wg.Wait()
}
