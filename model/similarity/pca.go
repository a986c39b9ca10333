package similarity

import (
	"fmt"
	"math"
	"sort"
)

// PCA is a fitted principal component projection.
type PCA struct {
	Mean       []float32
	Components [][]float32 // k unit rows, by decreasing variance
	Variance   []float64   // the variance along each component
}

// FitPCA finds the k principal components of vectors (all the same length)
// by Jacobi eigendecomposition of their covariance. The result is
// deterministic: each component's sign makes its largest-magnitude entry
// positive.
func FitPCA(vectors [][]float32, k int) (*PCA, error) {
	if len(vectors) < 2 {
		return nil, fmt.Errorf("pca: need at least 2 vectors, got %d", len(vectors))
	}
	d := len(vectors[0])
	if k <= 0 || k > d {
		return nil, fmt.Errorf("pca: %d components of %d-dimensional vectors", k, d)
	}
	mean := make([]float64, d)
	for i, v := range vectors {
		if len(v) != d {
			return nil, fmt.Errorf("pca: vector %d has length %d, want %d", i, len(v), d)
		}
		for j, x := range v {
			mean[j] += float64(x)
		}
	}
	for j := range mean {
		mean[j] /= float64(len(vectors))
	}
	cov := make([][]float64, d)
	for i := range cov {
		cov[i] = make([]float64, d)
	}
	c := make([]float64, d)
	for _, v := range vectors {
		for j, x := range v {
			c[j] = float64(x) - mean[j]
		}
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				cov[i][j] += c[i] * c[j]
			}
		}
	}
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			cov[i][j] /= float64(len(vectors) - 1)
			cov[j][i] = cov[i][j]
		}
	}
	values, vecs := jacobiEigen(cov)
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return values[order[a]] > values[order[b]] })
	p := &PCA{Mean: make([]float32, d)}
	for j, m := range mean {
		p.Mean[j] = float32(m)
	}
	for _, idx := range order[:k] {
		comp := make([]float32, d)
		big := 0
		for i := 0; i < d; i++ {
			if math.Abs(vecs[i][idx]) > math.Abs(vecs[big][idx]) {
				big = i
			}
		}
		sign := 1.0
		if vecs[big][idx] < 0 {
			sign = -1
		}
		for i := 0; i < d; i++ {
			comp[i] = float32(sign * vecs[i][idx])
		}
		p.Components = append(p.Components, comp)
		p.Variance = append(p.Variance, values[idx])
	}
	return p, nil
}

// Transform projects v onto the components.
func (p *PCA) Transform(v []float32) ([]float32, error) {
	if len(v) != len(p.Mean) {
		return nil, fmt.Errorf("pca: vector of length %d, fitted on %d", len(v), len(p.Mean))
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

// jacobiEigen diagonalizes the symmetric matrix a (destroyed) by cyclic
// Jacobi rotations and returns its eigenvalues and the eigenvectors as the
// columns of v.
func jacobiEigen(a [][]float64) (values []float64, v [][]float64) {
	n := len(a)
	v = make([][]float64, n)
	for i := range v {
		v[i] = make([]float64, n)
		v[i][i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off, total float64
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				total += a[i][j] * a[i][j]
				if i != j {
					off += a[i][j] * a[i][j]
				}
			}
		}
		if off <= 1e-22*total || off == 0 {
			break
		}
		for p := 0; p < n-1; p++ {
			for q := p + 1; q < n; q++ {
				if a[p][q] == 0 {
					continue
				}
				theta := (a[q][q] - a[p][p]) / (2 * a[p][q])
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ {
					akp, akq := a[k][p], a[k][q]
					a[k][p] = c*akp - s*akq
					a[k][q] = s*akp + c*akq
				}
				for k := 0; k < n; k++ {
					apk, aqk := a[p][k], a[q][k]
					a[p][k] = c*apk - s*aqk
					a[q][k] = s*apk + c*aqk
				}
				for k := 0; k < n; k++ {
					vkp, vkq := v[k][p], v[k][q]
					v[k][p] = c*vkp - s*vkq
					v[k][q] = s*vkp + c*vkq
				}
			}
		}
	}
	values = make([]float64, n)
	for i := range values {
		values[i] = a[i][i]
	}
	return values, v
}
