package similarity

import (
	"math"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// PCA is a fitted principal component projection.
type PCA struct {
	Mean       []float32
	Components [][]float32 // k unit rows, by decreasing variance
	Variance   []float64   // the variance along each component
}

// FitPCA finds the k principal components of vectors (all the same length)
// from the eigenvectors of their covariance: for up to 3 components, the
// ones plots and demos ask for, by subspace iteration, else (or if that
// does not converge) by Jacobi eigendecomposition. The result is
// deterministic: each component's sign makes its largest-magnitude entry
// positive.
func FitPCA(vectors [][]float32, k int) (*PCA, error) {
	if len(vectors) < 2 {
		return nil, errfmt.Errorf("pca: need at least 2 vectors, got %d", len(vectors))
	}
	d := len(vectors[0])
	if k <= 0 || k > d {
		return nil, errfmt.Errorf("pca: %d components of %d-dimensional vectors", k, d)
	}
	for i, v := range vectors {
		if len(v) != d {
			return nil, errfmt.Errorf("pca: vector %d has length %d, want %d", i, len(v), d)
		}
	}
	cov, mean := covariance(vectors)
	var values []float64
	var vecs [][]float64
	ok := false
	if k <= maxSubspaceComponents {
		values, vecs, ok = topEigenSubspace(cov, k)
	}
	if !ok {
		values, vecs = topEigenJacobi(cov, k)
	}
	p := &PCA{Mean: make([]float32, d), Variance: values}
	for j, m := range mean {
		p.Mean[j] = float32(m)
	}
	for _, vec := range vecs {
		big := 0
		for i, x := range vec {
			if math.Abs(x) > math.Abs(vec[big]) {
				big = i
			}
		}
		sign := 1.0
		if vec[big] < 0 {
			sign = -1
		}
		comp := make([]float32, d)
		for i, x := range vec {
			comp[i] = float32(sign * x)
		}
		p.Components = append(p.Components, comp)
	}
	return p, nil
}

// covariance is the sample covariance matrix of vectors (at least two, all
// of one length) and their mean.
func covariance(vectors [][]float32) (cov [][]float64, mean []float64) {
	d := len(vectors[0])
	mean = make([]float64, d)
	for _, v := range vectors {
		for j, x := range v {
			mean[j] += float64(x)
		}
	}
	for j := range mean {
		mean[j] /= float64(len(vectors))
	}
	cov = make([][]float64, d)
	for i := range cov {
		cov[i] = make([]float64, d)
	}
	c := make([]float64, d)
	for _, v := range vectors {
		for j, x := range v {
			c[j] = float64(x) - mean[j]
		}
		for i, ci := range c {
			row := cov[i][i:]
			for j, cj := range c[i:] {
				row[j] += ci * cj
			}
		}
	}
	for i := range d {
		for j := i; j < d; j++ {
			cov[i][j] /= float64(len(vectors) - 1)
			cov[j][i] = cov[i][j]
		}
	}
	return cov, mean
}

// Transform projects v onto the components.
func (p *PCA) Transform(v []float32) ([]float32, error) {
	if len(v) != len(p.Mean) {
		return nil, errfmt.Errorf("pca: vector of length %d, fitted on %d", len(v), len(p.Mean))
	}
	out := make([]float32, len(p.Components))
	for i, comp := range p.Components {
		var s float64
		for j, x := range v {
			s += float64(x-p.Mean[j]) * float64(comp[j])
		}
		out[i] = float32(s)
	}
	return out, nil
}
