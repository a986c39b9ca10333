package heads_test

import (
	"cmp"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/internal/testmodel"
	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

func realEngine(t *testing.T) *engine.Engine {
	t.Helper()
	// engine.LoadFile does not exist on js/wasm, where these tests also build.
	f, err := os.Open(testmodel.ModelFile(t, "f32"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := engine.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestIntentsRealModel trains on all-MiniLM-L6-v2 sentence embeddings of
// 3/4 of intents.tsv and checks held-out accuracy against the majority
// baseline and a bag-of-words nearest-neighbour baseline.
func TestIntentsRealModel(t *testing.T) {
	e := realEngine(t)
	f, err := os.Open("testdata/intents.tsv")
	if err != nil {
		t.Fatal(err)
	}
	labels, texts, err := heads.ReadLabelledTSV(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 0))
	rng.Shuffle(len(texts), func(i, j int) {
		texts[i], texts[j] = texts[j], texts[i]
		labels[i], labels[j] = labels[j], labels[i]
	})
	embs, err := e.Embed(texts, engine.EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	x := make([][]float32, len(embs))
	for i, em := range embs {
		x[i] = em.Vector
	}
	split := len(x) * 3 / 4
	// The templated data makes bag-of-words strong, so the head must
	// clearly beat the majority class and do no worse than bag-of-words.
	base := majority(labels[:split], labels[split:])
	bow := bagOfWords(texts[:split], labels[:split], texts[split:], labels[split:])
	for _, hidden := range []int{0, 64} {
		c, err := heads.TrainClassifier(x[:split], labels[:split], heads.TrainOptions{Hidden: hidden, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		preds, err := c.Classify(x[split:])
		if err != nil {
			t.Fatal(err)
		}
		hit := 0
		for i, p := range preds {
			if p.Label == labels[split+i] {
				hit++
			}
		}
		acc := float64(hit) / float64(len(preds))
		t.Logf("hidden=%d: held-out accuracy %.3f on %d texts (majority %.3f, bag-of-words %.3f)", hidden, acc, len(preds), base, bow)
		if acc < base+(1-base)/2 || acc < bow {
			t.Errorf("hidden=%d: accuracy %.3f does not clearly beat majority %.3f or is below bag-of-words %.3f", hidden, acc, base, bow)
		}
	}
}

func majority(train, test []string) float64 {
	count := map[string]int{}
	best := ""
	for _, l := range train {
		count[l]++
		if count[l] > count[best] || count[l] == count[best] && l < best {
			best = l
		}
	}
	hit := 0
	for _, l := range test {
		if l == best {
			hit++
		}
	}
	return float64(hit) / float64(len(test))
}

// bagOfWords labels each test text like the training text sharing the
// largest fraction of lower-cased words (Jaccard).
func bagOfWords(train, trainLabels, test, testLabels []string) float64 {
	set := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(strings.ToLower(s)) {
			m[strings.Trim(w, "?,.!")] = true
		}
		return m
	}
	trainSets := make([]map[string]bool, len(train))
	for i, s := range train {
		trainSets[i] = set(s)
	}
	hit := 0
	for i, s := range test {
		q := set(s)
		best, bestScore := 0, -1.0
		for j, ts := range trainSets {
			inter := 0
			for w := range q {
				if ts[w] {
					inter++
				}
			}
			if score := float64(inter) / float64(len(q)+len(ts)-inter); score > bestScore {
				best, bestScore = j, score
			}
		}
		if trainLabels[best] == testLabels[i] {
			hit++
		}
	}
	return float64(hit) / float64(len(test))
}

// TestNERRealModel trains a tagger on word vectors (first subword, fourth of
// six layers, as cmd/wasmbert ner uses) of all-MiniLM-L6-v2 and measures entity F1 on held-out sentences that each
// hold at least one entity name never seen in training; the lexicon
// baseline is a gazetteer of the training entities.
func TestNERRealModel(t *testing.T) {
	e := realEngine(t)
	f, err := os.Open("testdata/ner.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sents, err := heads.ReadSpansJSONL(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 0))
	heldOutName := map[string]bool{}
	for _, s := range sents {
		for _, sp := range s.Spans {
			name := s.Text[sp.Start:sp.End]
			if _, seen := heldOutName[name]; !seen {
				heldOutName[name] = rng.Float64() < 0.3
			}
		}
	}
	var train, test []heads.Example
	for _, s := range sents {
		held, kept := 0, 0
		for _, sp := range s.Spans {
			if heldOutName[s.Text[sp.Start:sp.End]] {
				held++
			} else {
				kept++
			}
		}
		if held > 0 || kept == 0 && rng.Float64() < 0.3 {
			test = append(test, s)
		} else {
			train = append(train, s)
		}
	}

	words := func(ss []heads.Example) ([][]heads.Token, [][]string) {
		texts := make([]string, len(ss))
		for i, s := range ss {
			texts[i] = s.Text
		}
		embs, err := e.Embed(texts, engine.EmbedOptions{Words: "first", Layer: "-3"})
		if err != nil {
			t.Fatal(err)
		}
		toks := make([][]heads.Token, len(ss))
		tags := make([][]string, len(ss))
		for i, em := range embs {
			for w, wv := range em.Words {
				toks[i] = append(toks[i], heads.Token{Vector: wv.Vector, Start: wv.Start, End: wv.End, Word: w})
			}
			if tags[i], err = heads.TokenTags(toks[i], ss[i].Spans); err != nil {
				t.Fatalf("%q: %v", ss[i].Text, err)
			}
		}
		return toks, tags
	}
	trainToks, trainTags := words(train)
	testToks, _ := words(test)
	vectors := make([][][]float32, len(trainToks))
	for i, ts := range trainToks {
		for _, tok := range ts {
			vectors[i] = append(vectors[i], tok.Vector)
		}
	}

	gazetteer := map[string]string{}
	for _, s := range train {
		for _, sp := range s.Spans {
			gazetteer[s.Text[sp.Start:sp.End]] = sp.Label
		}
	}
	var lexicon [][]heads.Span
	for _, s := range test {
		lexicon = append(lexicon, lookup(s.Text, gazetteer))
	}
	base := f1(test, lexicon)

	for _, hidden := range []int{0, 64} {
		tg, err := heads.TrainTagger(vectors, trainTags, heads.TrainOptions{Hidden: hidden, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		var pred [][]heads.Span
		for i, s := range test {
			ents, err := tg.Entities(s.Text, testToks[i])
			if err != nil {
				t.Fatal(err)
			}
			var spans []heads.Span
			for _, en := range ents {
				spans = append(spans, en.Span)
			}
			pred = append(pred, spans)
		}
		score := f1(test, pred)
		t.Logf("hidden=%d: entity F1 %.3f on %d held-out sentences with unseen names (trained on %d); lexicon baseline F1 %.3f",
			hidden, score, len(test), len(train), base)
		if score < base+(1-base)/2 {
			t.Errorf("hidden=%d: entity F1 %.3f does not clearly beat the lexicon baseline %.3f", hidden, score, base)
		}
	}
}

// lookup finds gazetteer names in text, longest first, without overlaps.
func lookup(text string, gazetteer map[string]string) []heads.Span {
	names := slices.Collect(maps.Keys(gazetteer))
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	taken := make([]bool, len(text))
	var spans []heads.Span
	for _, name := range names {
		label := gazetteer[name]
		for off := 0; ; {
			i := strings.Index(text[off:], name)
			if i < 0 {
				break
			}
			start, end := off+i, off+i+len(name)
			free := true
			for k := start; k < end; k++ {
				free = free && !taken[k]
			}
			if free {
				for k := start; k < end; k++ {
					taken[k] = true
				}
				spans = append(spans, heads.Span{Start: start, End: end, Label: label})
			}
			off = end
		}
	}
	return spans
}

// f1 is exact-match entity F1 (same byte span and label), as seqeval.
func f1(gold []heads.Example, pred [][]heads.Span) float64 {
	var tp, np, ng int
	for i, s := range gold {
		want := map[heads.Span]bool{}
		for _, sp := range s.Spans {
			want[sp] = true
		}
		ng += len(s.Spans)
		np += len(pred[i])
		for _, sp := range pred[i] {
			if want[sp] {
				tp++
			}
		}
	}
	if tp == 0 {
		return 0
	}
	p, r := float64(tp)/float64(np), float64(tp)/float64(ng)
	return 2 * p * r / (p + r)
}
