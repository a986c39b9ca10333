package heads

import "testing"

// Shapes of the intents task: ~250 training sentences of all-MiniLM-L6-v2
// (384 dimensions) over 10 intents.
func BenchmarkTrainClassifier(b *testing.B) {
	x, y := clusters(1, 256, 384, 10, 0.5)
	for _, bb := range []struct {
		name   string
		hidden int
	}{{"logistic", 0}, {"mlp64", 64}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := TrainClassifier(x, y, TrainOptions{Hidden: bb.hidden, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkClassify(b *testing.B) {
	x, y := clusters(1, 256, 384, 10, 0.5)
	c, err := TrainClassifier(x, y, TrainOptions{Epochs: 1})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Classify(x); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/text")
}
