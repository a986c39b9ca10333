package similarity

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCosine(t *testing.T) {
	tests := []struct {
		a, b []float32
		want float32
	}{
		{[]float32{1, 0}, []float32{1, 0}, 1},
		{[]float32{1, 0}, []float32{0, 2}, 0},
		{[]float32{1, 1}, []float32{-2, -2}, -1},
		{[]float32{0, 0}, []float32{1, 2}, 0},
		{[]float32{3, 4}, []float32{4, 3}, 24.0 / 25},
	}
	for _, tt := range tests {
		got, err := Cosine(tt.a, tt.b)
		if err != nil || math.Abs(float64(got-tt.want)) > 1e-6 {
			t.Errorf("Cosine(%v, %v) = %v, %v; want %v", tt.a, tt.b, got, err, tt.want)
		}
	}
	if _, err := Cosine([]float32{1}, []float32{1, 2}); err == nil {
		t.Error("length mismatch: no error")
	}
}

func TestTopKStable(t *testing.T) {
	corpus := [][]float32{{0, 1}, {1, 0}, {0, 1}, {1, 1}, {2, 0}}
	got, err := TopK([]float32{1, 0}, corpus, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{1, 4, 3, 0} // 1 and 4 tie at 1: corpus order; then 0.707; then 0 and 2 tie: 0 first
	for i, m := range got {
		if m.Index != want[i] {
			t.Fatalf("got %+v, want indices %v", got, want)
		}
	}
	if got, _ := TopK([]float32{1, 0}, corpus, 10); len(got) != 5 {
		t.Errorf("k beyond corpus: %d results", len(got))
	}
	if _, err := TopK([]float32{1}, corpus, 1); err == nil {
		t.Error("dimension mismatch: no error")
	}
}

func TestTruncate(t *testing.T) {
	got, err := Truncate([]float32{3, 4, 12}, 2)
	if err != nil || math.Abs(float64(got[0]-0.6)) > 1e-7 || math.Abs(float64(got[1]-0.8)) > 1e-7 || len(got) != 2 {
		t.Errorf("got %v, %v", got, err)
	}
	for _, d := range []int{0, 4, -1} {
		if _, err := Truncate([]float32{1, 2, 3}, d); err == nil {
			t.Errorf("Truncate to %d: no error", d)
		}
	}
}

// TestPCARecoversAxes builds data with known principal axes (a rotation of
// axis-aligned data with decreasing spread) and checks the components and
// variances, on odd dimension counts.
func TestPCARecoversAxes(t *testing.T) {
	for _, d := range []int{2, 3, 7} {
		rng := rand.New(rand.NewPCG(7, uint64(d)))
		// A random orthonormal basis via Gram-Schmidt.
		basis := make([][]float64, d)
		for i := range basis {
			v := make([]float64, d)
			for j := range v {
				v[j] = rng.NormFloat64()
			}
			for _, b := range basis[:i] {
				var dot float64
				for j := range v {
					dot += v[j] * b[j]
				}
				for j := range v {
					v[j] -= dot * b[j]
				}
			}
			var n float64
			for _, x := range v {
				n += x * x
			}
			for j := range v {
				v[j] /= math.Sqrt(n)
			}
			basis[i] = v
		}
		vectors := make([][]float32, 4000)
		for i := range vectors {
			v := make([]float32, d)
			for a := 0; a < d; a++ {
				c := rng.NormFloat64() * float64(d-a) * 2
				for j := range v {
					v[j] += float32(c * basis[a][j])
				}
			}
			for j := range v {
				v[j] += 5
			}
			vectors[i] = v
		}
		p, err := FitPCA(vectors, d)
		if err != nil {
			t.Fatal(err)
		}
		for a := 0; a < d; a++ {
			var dot float64
			for j := 0; j < d; j++ {
				dot += float64(p.Components[a][j]) * basis[a][j]
			}
			if math.Abs(math.Abs(dot)-1) > 0.01 {
				t.Errorf("d=%d component %d: |cos| with true axis %g", d, a, dot)
			}
			want := math.Pow(float64(d-a)*2, 2)
			if math.Abs(p.Variance[a]-want)/want > 0.1 {
				t.Errorf("d=%d component %d: variance %g, want ≈ %g", d, a, p.Variance[a], want)
			}
		}
		again, _ := FitPCA(vectors, d)
		for a := range again.Components {
			for j := range again.Components[a] {
				if again.Components[a][j] != p.Components[a][j] {
					t.Fatalf("d=%d: second fit differs", d)
				}
			}
		}
		y, err := p.Transform(vectors[0])
		if err != nil || len(y) != d {
			t.Fatalf("Transform: %v, %v", y, err)
		}
	}
	if _, err := FitPCA([][]float32{{1, 2}}, 1); err == nil {
		t.Error("one vector: no error")
	}
	if _, err := FitPCA([][]float32{{1, 2}, {1}}, 1); err == nil {
		t.Error("ragged: no error")
	}
	if _, err := FitPCA([][]float32{{1, 2}, {3, 4}}, 3); err == nil {
		t.Error("k > d: no error")
	}
}
