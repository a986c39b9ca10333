package heads

import (
	"bytes"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nlpodyssey/spago/mat"
)

// clusters draws n points around one random centre per class in dim
// dimensions; noise well below the centre spread makes them separable.
func clusters(seed uint64, n, dim, classes int, noise float64) ([][]float32, []string) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float64, classes)
	for c := range centres {
		centres[c] = make([]float64, dim)
		for k := range centres[c] {
			centres[c][k] = rng.NormFloat64()
		}
	}
	x := make([][]float32, n)
	y := make([]string, n)
	for i := range x {
		c := rng.IntN(classes)
		x[i] = make([]float32, dim)
		for k := range x[i] {
			x[i][k] = float32(centres[c][k] + noise*rng.NormFloat64())
		}
		y[i] = "class" + string(rune('A'+c))
	}
	return x, y
}

// majority is the accuracy of always answering the most frequent training label.
func majority(train, test []string) float64 {
	count := map[string]int{}
	for _, l := range train {
		count[l]++
	}
	best := ""
	for l, n := range count {
		if n > count[best] || n == count[best] && l < best {
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

func TestTrainClassifierSeparable(t *testing.T) {
	tests := []struct {
		name           string
		dim, classes   int
		hidden, epochs int
	}{
		{"logistic", 13, 5, 0, 30},
		{"mlp", 7, 3, 16, 30},
		{"binary", 1, 2, 0, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, y := clusters(7, 400, tt.dim, tt.classes, 0.15)
			c, err := TrainClassifier(x[:300], y[:300], TrainOptions{Hidden: tt.hidden, Epochs: tt.epochs, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			preds, err := c.Classify(x[300:])
			if err != nil {
				t.Fatal(err)
			}
			hit := 0
			for i, p := range preds {
				if p.Label == y[300+i] {
					hit++
				}
				var sum float32
				for _, s := range p.Scores {
					sum += s
				}
				if math.Abs(float64(sum-1)) > 1e-4 {
					t.Fatalf("scores of %d sum to %v", i, sum)
				}
			}
			acc := float64(hit) / float64(len(preds))
			base := majority(y[:300], y[300:])
			if acc < base+0.8*(1-base) {
				t.Errorf("accuracy %.3f does not clearly beat the majority baseline %.3f", acc, base)
			}
		})
	}
}

func TestTrainDeterministic(t *testing.T) {
	x, y := clusters(3, 100, 9, 3, 0.5)
	train := func(seed uint64) []Layer {
		c, err := TrainClassifier(x, y, TrainOptions{Hidden: 5, Epochs: 5, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return c.Layers()
	}
	a, b, other := train(42), train(42), train(43)
	for i := range a {
		if !slices.Equal(a[i].Weight, b[i].Weight) || !slices.Equal(a[i].Bias, b[i].Bias) {
			t.Fatalf("layer %d differs between two runs with the same seed", i)
		}
	}
	if slices.Equal(a[0].Weight, other[0].Weight) {
		t.Error("different seeds gave identical weights")
	}
}

func TestTrainProgress(t *testing.T) {
	x, y := clusters(3, 40, 9, 3, 0.5)
	var seen [][2]int
	o := TrainOptions{Hidden: 4, Epochs: 3, Seed: 7}
	quiet, err := TrainClassifier(x, y, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Progress = func(done, total int) { seen = append(seen, [2]int{done, total}) }
	reported, err := TrainClassifier(x, y, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{1, 3}, {2, 3}, {3, 3}}; !slices.Equal(seen, want) {
		t.Errorf("progress calls %v, want %v", seen, want)
	}
	a, b := quiet.Layers(), reported.Layers()
	for i := range a {
		if !slices.Equal(a[i].Weight, b[i].Weight) || !slices.Equal(a[i].Bias, b[i].Bias) {
			t.Fatalf("layer %d differs with a progress function", i)
		}
	}
}

func TestTrainBadInput(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name   string
		x      [][]float32
		y      []string
		o      TrainOptions
		errHas string
	}{
		{"empty", nil, nil, TrainOptions{}, "empty training set"},
		{"single class", [][]float32{{1}, {2}}, []string{"a", "a"}, TrainOptions{}, "at least 2 distinct labels"},
		{"count mismatch", [][]float32{{1}, {2}}, []string{"a"}, TrainOptions{}, "2 examples but 1 labels"},
		{"ragged", [][]float32{{1}, {2, 3}}, []string{"a", "b"}, TrainOptions{}, "feature 1 has 2 dimensions"},
		{"zero dims", [][]float32{{}, {}}, []string{"a", "b"}, TrainOptions{}, "empty"},
		{"nan", [][]float32{{1}, {nan}}, []string{"a", "b"}, TrainOptions{}, "not finite"},
		{"empty label", [][]float32{{1}, {2}}, []string{"a", ""}, TrainOptions{}, "label 1 is empty"},
		{"negative epochs", [][]float32{{1}, {2}}, []string{"a", "b"}, TrainOptions{Epochs: -1}, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TrainClassifier(tt.x, tt.y, tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}

// TestForwardMatchesSpago checks the plain inference loops against the
// spago graph used in training, on odd shapes.
func TestForwardMatchesSpago(t *testing.T) {
	shapes := []struct{ in, hidden, out, n int }{{1, 0, 2, 1}, {7, 0, 3, 5}, {13, 11, 5, 9}, {33, 3, 17, 2}}
	for _, s := range shapes {
		m := newTrainable(s.in, s.hidden, s.out, uint64(s.in))
		for _, b := range m.B {
			for i, v := range mat.Data[float32](b.Value()) {
				mat.Data[float32](b.Value())[i] = v + 0.1*float32(i%3)
			}
		}
		x, _ := clusters(uint64(s.n), s.n, s.in, 2, 1)
		batch := make([]int, s.n)
		for i := range batch {
			batch[i] = s.n - 1 - i
		}
		z := mat.Data[float32](m.forward(x, batch).Value())
		net := m.network()
		for j, e := range batch {
			got, err := net.logits(x[e])
			if err != nil {
				t.Fatal(err)
			}
			for c := range s.out {
				if want := z[c*s.n+j]; math.Abs(float64(got[c]-want)) > 1e-5 {
					t.Fatalf("shape %+v example %d class %d: plain %v, spago %v", s, e, c, got[c], want)
				}
			}
		}
	}
}

func TestSaveLoad(t *testing.T) {
	x, y := clusters(5, 60, 6, 3, 0.3)
	c, err := TrainClassifier(x, y, TrainOptions{Hidden: 4, Epochs: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	c.Features = map[string]string{"layer": "-1"}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := buf.String()
	got, err := LoadClassifier(strings.NewReader(saved))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Labels, c.Labels) || !maps.Equal(got.Features, c.Features) {
		t.Fatalf("labels %q features %v, want %q %v", got.Labels, got.Features, c.Labels, c.Features)
	}
	for i, l := range c.Layers() {
		if !slices.Equal(got.Layers()[i].Weight, l.Weight) || !slices.Equal(got.Layers()[i].Bias, l.Bias) {
			t.Fatalf("layer %d not restored exactly", i)
		}
	}

	tests := []struct {
		name, file, errHas string
		tagger             bool
	}{
		{"empty", "", "unexpected EOF", false},
		{"truncated", saved[:len(saved)/2], "unexpected EOF", false},
		{"version", strings.Replace(saved, `"version":1`, `"version":7`, 1), "unsupported version 7", false},
		{"format", strings.Replace(saved, `"wasmbert-head"`, `"other"`, 1), `format "other"`, false},
		{"kind", saved, `holds a "classifier" head`, true},
		{"shape", strings.Replace(saved, `"in":6`, `"in":5`, 1), "layer weight has 24 values, want 4×5", false},
		{"duplicate label", strings.Replace(saved, `"classB"`, `"classA"`, 1), `label "classA" appears twice`, false},
		{"unknown tag", strings.Replace(strings.Replace(saved, `"classifier"`, `"tagger"`, 1), `"classA"`, `"O"`, 1), `tag "classB" is not O, B-TYPE or I-TYPE`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.tagger {
				_, err = LoadTagger(strings.NewReader(tt.file))
			} else {
				_, err = LoadClassifier(strings.NewReader(tt.file))
			}
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
			}
		})
	}
}

func TestClassifyDimensionMismatch(t *testing.T) {
	x, y := clusters(5, 20, 4, 2, 0.3)
	c, err := TrainClassifier(x, y, TrainOptions{Epochs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Classify([][]float32{{1, 2}}); err == nil || !strings.Contains(err.Error(), "2 dimensions, head expects 4") {
		t.Fatalf("err = %v", err)
	}
}
