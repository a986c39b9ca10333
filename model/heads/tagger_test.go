package heads

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// words splits text on spaces into one token per word, or two subword
// tokens for words longer than 5 bytes, like WordPiece would.
func words(text string) []Token {
	toks := []Token{{Word: -1}} // [CLS]
	start, w := 0, 0
	for _, f := range strings.SplitAfter(text, " ") {
		word := strings.TrimSuffix(f, " ")
		if len(word) > 5 {
			toks = append(toks, Token{Start: start, End: start + 3, Word: w}, Token{Start: start + 3, End: start + len(word), Word: w})
		} else if word != "" {
			toks = append(toks, Token{Start: start, End: start + len(word), Word: w})
		}
		start += len(f)
		w++
	}
	return append(toks, Token{Word: -1}) // [SEP]
}

func TestTokenTags(t *testing.T) {
	text := "Ada Lovelace visited Paris in 1840"
	spans := []Span{{0, 12, "PER"}, {21, 26, "LOC"}}
	got, err := TokenTags(words(text), spans)
	if err != nil {
		t.Fatal(err)
	}
	// [CLS] Ada Lov ##elace vis ##ited Paris in 1840 [SEP]
	want := []string{"", "B-PER", "I-PER", "I-PER", "O", "O", "B-LOC", "O", "O", ""}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tags %q, want %q", got, want)
	}

	bad := []struct {
		name   string
		spans  []Span
		errHas string
	}{
		{"overlap", []Span{{0, 12, "PER"}, {4, 8, "PER"}}, "overlaps"},
		{"empty", []Span{{3, 3, "PER"}}, "empty"},
		{"bio label", []Span{{0, 3, "B-PER"}}, "bare entity type"},
	}
	for _, tt := range bad {
		if _, err := TokenTags(words(text), tt.spans); err == nil || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.errHas)
		}
	}
}

func TestMergeEntities(t *testing.T) {
	text := "Ada Lovelace visited Paris in 1840"
	toks := words(text)
	tests := []struct {
		name string
		tags []string
		want []Entity
	}{
		{"bio", []string{"", "B-PER", "I-PER", "I-PER", "O", "O", "B-LOC", "O", "O", ""},
			[]Entity{{Span{0, 12, "PER"}, "Ada Lovelace", 1}, {Span{21, 26, "LOC"}, "Paris", 1}}},
		// A word's tag is its first subword's; a stray I- opens an entity.
		{"subword and stray I", []string{"", "B-PER", "I-ORG", "O", "O", "O", "I-LOC", "O", "O", ""},
			[]Entity{{Span{0, 3, "PER"}, "Ada", 1}, {Span{4, 12, "ORG"}, "Lovelace", 1}, {Span{21, 26, "LOC"}, "Paris", 1}}},
		{"type change", []string{"", "B-PER", "I-LOC", "I-LOC", "O", "O", "O", "O", "O", ""},
			[]Entity{{Span{0, 3, "PER"}, "Ada", 1}, {Span{4, 12, "LOC"}, "Lovelace", 1}}},
		{"none", []string{"", "O", "O", "O", "O", "O", "O", "O", "O", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scores := make([]float32, len(tt.tags))
			for i := range scores {
				scores[i] = 1
			}
			if got := mergeEntities(text, toks, tt.tags, scores); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("entities %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestTrainTaggerSynthetic trains on token vectors that encode their tag
// plus noise and checks that entities come back.
func TestTrainTaggerSynthetic(t *testing.T) {
	tags := []string{"O", "B-PER", "I-PER", "B-LOC", "I-LOC"}
	rng := rand.New(rand.NewPCG(1, 2))
	centre := make([][]float32, len(tags))
	for i := range centre {
		centre[i] = make([]float32, 11)
		for k := range centre[i] {
			centre[i][k] = float32(rng.NormFloat64())
		}
	}
	vec := func(tag string) []float32 {
		i := 0
		for tags[i] != tag {
			i++
		}
		v := make([]float32, 11)
		for k := range v {
			v[k] = centre[i][k] + 0.2*float32(rng.NormFloat64())
		}
		return v
	}
	text := "Ada Lovelace visited Paris in 1840"
	toks := words(text)
	gold, _ := TokenTags(toks, []Span{{0, 12, "PER"}, {21, 26, "LOC"}})
	var sents [][][]float32
	var seqs [][]string
	for range 50 {
		s := make([][]float32, len(gold))
		for i, g := range gold {
			if g == "" {
				s[i] = make([]float32, 11) // special tokens carry no tag
				continue
			}
			s[i] = vec(g)
		}
		sents, seqs = append(sents, s), append(seqs, gold)
	}
	for _, hidden := range []int{0, 8} {
		tg, err := TrainTagger(sents, seqs, TrainOptions{Hidden: hidden, Epochs: 20, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		for i := range toks {
			toks[i].Vector = sents[0][i]
		}
		ents, err := tg.Entities(text, toks)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range ents {
			got = append(got, e.Label+":"+e.Text)
		}
		if want := []string{"PER:Ada Lovelace", "LOC:Paris"}; !reflect.DeepEqual(got, want) {
			t.Errorf("hidden %d: entities %q, want %q", hidden, got, want)
		}
	}
}

func TestTrainTaggerBadInput(t *testing.T) {
	v := []float32{1, 2}
	tests := []struct {
		name   string
		sents  [][][]float32
		tags   [][]string
		errHas string
	}{
		{"empty", nil, nil, "empty training set"},
		{"only specials", [][][]float32{{v}}, [][]string{{""}}, "empty training set"},
		{"single tag", [][][]float32{{v, v}}, [][]string{{"O", "O"}}, "at least 2 distinct tags"},
		{"sentence mismatch", [][][]float32{{v}}, nil, "1 sentences but 0 tag sequences"},
		{"token mismatch", [][][]float32{{v, v}}, [][]string{{"O"}}, "2 tokens but 1 tags"},
		{"not bio", [][][]float32{{v, v}}, [][]string{{"O", "PER"}}, `tag "PER" is not O, B-TYPE or I-TYPE`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TrainTagger(tt.sents, tt.tags, TrainOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}
