package similarity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// embeddingLike returns n unit vectors of dimension d that, like sentence
// embeddings, share a mean direction and spread along a few strong and
// many weak directions with slowly decaying variances.
func embeddingLike(rng *rand.Rand, n, d int) [][]float32 {
	mean := make([]float64, d)
	for j := range mean {
		mean[j] = rng.NormFloat64() * 0.05
	}
	// Correlated directions: a random mixing of a decaying spectrum.
	const factors = 24
	mix := make([][]float64, factors)
	for f := range mix {
		mix[f] = make([]float64, d)
		for j := range mix[f] {
			mix[f][j] = rng.NormFloat64() / math.Sqrt(float64(d)) / (1 + 0.3*float64(f))
		}
	}
	out := make([][]float32, n)
	for i := range out {
		v := make([]float64, d)
		copy(v, mean)
		for f := range mix {
			z := rng.NormFloat64()
			for j := range v {
				v[j] += z * mix[f][j]
			}
		}
		var norm float64
		for j := range v {
			v[j] += rng.NormFloat64() * 0.01
			norm += v[j] * v[j]
		}
		out[i] = make([]float32, d)
		for j := range v {
			out[i][j] = float32(v[j] / math.Sqrt(norm))
		}
	}
	return out
}

func gaussian(rng *rand.Rand, n, d int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, d)
		for j := range out[i] {
			// Per-axis scales make the spectrum distinct.
			out[i][j] = float32(rng.NormFloat64() * (1 + float64(j%7)))
		}
	}
	return out
}

// TestSubspaceMatchesJacobi checks the fast top-k eigensolver against the
// Jacobi reference on random and embedding-like covariances of odd sizes:
// eigenvalues to 1e-8 relative, components equal up to sign within 1e-4.
func TestSubspaceMatchesJacobi(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tests := []struct {
		name string
		data [][]float32
	}{
		{"gaussian 200x41", gaussian(rng, 200, 41)},
		{"gaussian 90x67", gaussian(rng, 90, 67)},
		{"embedding-like 300x97", embeddingLike(rng, 300, 97)},
		{"embedding-like 400x193", embeddingLike(rng, 400, 193)},
	}
	if !testing.Short() {
		// MiniLM's width; Jacobi takes seconds on it, more under -race.
		tests = append(tests, struct {
			name string
			data [][]float32
		}{"embedding-like 500x384", embeddingLike(rng, 500, 384)})
	}
	for _, tt := range tests {
		cov, _ := covariance(tt.data)
		d := len(cov)
		wantValues, wantVecs := topEigenJacobi(cloneMatrix(cov), maxSubspaceComponents)
		for k := 1; k <= maxSubspaceComponents; k++ {
			t.Run(fmt.Sprintf("%s k=%d", tt.name, k), func(t *testing.T) {
				values, vecs, ok := topEigenSubspace(cov, k)
				if !ok {
					t.Fatal("subspace iteration did not converge")
				}
				for c := range k {
					if rel := math.Abs(values[c]-wantValues[c]) / wantValues[0]; rel > 1e-8 {
						t.Errorf("eigenvalue %d: %g, Jacobi %g", c, values[c], wantValues[c])
					}
					var dot float64
					for i := range d {
						dot += vecs[c][i] * wantVecs[c][i]
					}
					sign := math.Copysign(1, dot)
					var diff float64
					for i := range d {
						diff = max(diff, math.Abs(vecs[c][i]-sign*wantVecs[c][i]))
					}
					if diff > 1e-4 {
						t.Errorf("component %d differs from Jacobi's by %g", c, diff)
					}
				}
			})
		}
	}
}

// TestFitPCARankDeficient fits fewer vectors than dimensions, so most
// eigenvalues are zero: the fast path must still give unit, orthogonal
// components and the variances of the data.
func TestFitPCARankDeficient(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{2, 3, 5} {
		data := embeddingLike(rng, n, 101)
		p, err := FitPCA(data, 3)
		if err != nil {
			t.Fatal(err)
		}
		for a := range p.Components {
			for b := range p.Components {
				var dot float64
				for i := range p.Components[a] {
					dot += float64(p.Components[a][i]) * float64(p.Components[b][i])
				}
				want := 0.0
				if a == b {
					want = 1
				}
				if math.Abs(dot-want) > 1e-5 {
					t.Errorf("n=%d: components %d·%d = %g, want %g", n, a, b, dot, want)
				}
			}
		}
		cov, _ := covariance(data)
		values, _ := topEigenJacobi(cov, 3)
		for c, v := range p.Variance {
			if math.Abs(v-values[c]) > 1e-9 {
				t.Errorf("n=%d: variance %d is %g, Jacobi %g", n, c, v, values[c])
			}
		}
	}
}

func cloneMatrix(a [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = append([]float64(nil), a[i]...)
	}
	return out
}

// BenchmarkFitPCA fits the 2 or 3 components a demo plots, on 384-dimensional
// embedding-like vectors (all-MiniLM-L6-v2's width).
func BenchmarkFitPCA(b *testing.B) {
	data := embeddingLike(rand.New(rand.NewPCG(9, 10)), 200, 384)
	for _, k := range []int{2, 3} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			for b.Loop() {
				if _, err := FitPCA(data, k); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
