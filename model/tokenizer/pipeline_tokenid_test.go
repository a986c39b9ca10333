package tokenizer_test

import (
	"sync"
	"testing"
)

// TestPipelineTokenID looks up every token of the BPE and Unigram fixtures,
// from several goroutines at once since the table is built on first use.
func TestPipelineTokenID(t *testing.T) {
	for _, name := range []string{"bpe", "unigram"} {
		p := loadPipeline(t, name)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := int32(0); id < int32(p.VocabSize()); id++ {
					got, ok := p.TokenID(p.Token(id))
					if !ok || got > id || p.Token(got) != p.Token(id) {
						t.Errorf("%s: TokenID(%q) = %d, %v; want the lowest id of the token, at most %d", name, p.Token(id), got, ok, id)
						return
					}
				}
			}()
		}
		wg.Wait()
		if _, ok := p.TokenID("no such token \x00"); ok {
			t.Errorf("%s: TokenID of an unknown token succeeded", name)
		}
	}
}
