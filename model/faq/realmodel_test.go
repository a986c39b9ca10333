package faq_test

import (
	"os"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/internal/testmodel"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/faq"
)

// TestFAQRealModel answers paraphrased customer questions from faq.tsv with
// all-MiniLM-L6-v2 and compares with word-overlap matching; off-topic
// queries must fall below DefaultThreshold.
func TestFAQRealModel(t *testing.T) {
	e, err := engine.LoadFile(testmodel.ModelFile(t, "f32"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/faq.tsv")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := faq.ReadTSV(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var want, queries []string
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		w, q, _ := strings.Cut(l, "\t")
		want, queries = append(want, w), append(queries, q)
	}
	questions := make([]string, len(entries))
	for i, en := range entries {
		questions[i] = en.Question
	}
	embed := func(texts []string) [][]float32 {
		embs, err := e.Embed(texts, engine.EmbedOptions{})
		if err != nil {
			t.Fatal(err)
		}
		x := make([][]float32, len(embs))
		for i, em := range embs {
			x[i] = em.Vector
		}
		return x
	}
	ix, err := faq.NewIndex(entries, embed(questions))
	if err != nil {
		t.Fatal(err)
	}
	qv := embed(queries)

	var onTopic, hit, lexHit, offTopic, rejected int
	for i, q := range queries {
		r, err := ix.Match(qv[i], faq.DefaultThreshold)
		if err != nil {
			t.Fatal(err)
		}
		if want[i] == "-" {
			offTopic++
			if !r.Matched {
				rejected++
			}
			t.Logf("off-topic %q: best %q (%.3f, matched %v)", q, r.Question, r.Score, r.Matched)
			continue
		}
		onTopic++
		if r.Matched && r.Question == want[i] {
			hit++
		} else {
			t.Logf("%q: got %q (%.3f, matched %v), want %q", q, r.Question, r.Score, r.Matched, want[i])
		}
		if questions[wordOverlap(q, questions)] == want[i] {
			lexHit++
		}
	}
	acc, lex := float64(hit)/float64(onTopic), float64(lexHit)/float64(onTopic)
	t.Logf("top-1 matched accuracy %.3f on %d paraphrases (word overlap %.3f); %d/%d off-topic rejected at %.2f",
		acc, onTopic, lex, rejected, offTopic, faq.DefaultThreshold)
	if acc < lex+(1-lex)/2 {
		t.Errorf("accuracy %.3f does not clearly beat word overlap %.3f", acc, lex)
	}
	if rejected < offTopic {
		t.Errorf("%d of %d off-topic queries matched a FAQ entry", offTopic-rejected, offTopic)
	}
}

// wordOverlap is the lexical baseline: the question sharing the most
// lower-cased words with q (Jaccard).
func wordOverlap(q string, questions []string) int {
	set := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(strings.ToLower(s)) {
			m[strings.Trim(w, "?,.!'")] = true
		}
		return m
	}
	qs := set(q)
	best, bestScore := 0, -1.0
	for i, question := range questions {
		ws := set(question)
		inter := 0
		for w := range qs {
			if ws[w] {
				inter++
			}
		}
		if s := float64(inter) / float64(len(qs)+len(ws)-inter); s > bestScore {
			best, bestScore = i, s
		}
	}
	return best
}
