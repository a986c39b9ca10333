package similarity

import (
	"math"
	"math/rand/v2"
	"sort"
)

// maxSubspaceComponents is the most components FitPCA finds by subspace
// iteration; more go to the Jacobi reference.
const maxSubspaceComponents = 3

const (
	// subspaceExtra is how many directions beyond k are iterated: the error
	// in the top k shrinks each step by λ(k+extra+1)/λ(k), far faster than
	// by λ(k+1)/λ(k), which is close to 1 in embedding spectra.
	subspaceExtra = 10
	// subspaceTol is the residual |Cv - λv| at which an eigenpair counts as
	// converged, relative to the largest eigenvalue.
	subspaceTol = 1e-10
	// subspaceMaxIter caps the iterations; a covariance that needs more is
	// handed to Jacobi.
	subspaceMaxIter = 500
)

// topEigenSubspace returns the k largest eigenvalues of the symmetric
// positive semi-definite matrix c and their unit eigenvectors, by
// orthogonal (subspace) iteration with Rayleigh-Ritz. It costs O(d²·p) per
// iteration, p = k + subspaceExtra, against Jacobi's O(d³) per sweep. The
// start vectors are fixed pseudo-random ones, so the result is
// deterministic. ok is false, and c untouched, when c is too small to gain
// from it or the iteration did not converge.
func topEigenSubspace(c [][]float64, k int) (values []float64, vecs [][]float64, ok bool) {
	d := len(c)
	p := k + subspaceExtra
	if p >= d {
		return nil, nil, false
	}
	rng := rand.New(rand.NewPCG(1, 2))
	q := make([][]float64, p) // the basis, one vector per row
	for i := range q {
		q[i] = make([]float64, d)
		for j := range q[i] {
			q[i][j] = rng.NormFloat64()
		}
	}
	orthonormalize(q, rng)
	z := newMatrix(p, d)  // c·q
	h := newMatrix(p, p)  // qᵀ·c·q
	v := newMatrix(p, d)  // Ritz vectors
	cv := newMatrix(p, d) // c·v
	for range subspaceMaxIter {
		for i, row := range c {
			for a := range q {
				z[a][i] = dot(row, q[a])
			}
		}
		for a := range p {
			for b := a; b < p; b++ {
				h[a][b] = (dot(q[a], z[b]) + dot(q[b], z[a])) / 2
				h[b][a] = h[a][b]
			}
		}
		theta, w := jacobiEigen(h) // h is p×p: cheap
		order := make([]int, p)
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(x, y int) bool { return theta[order[x]] > theta[order[y]] })
		for r, idx := range order {
			clear(v[r])
			clear(cv[r])
			for a := range p {
				axpy(v[r], w[a][idx], q[a])
				axpy(cv[r], w[a][idx], z[a])
			}
		}
		converged := true
		scale := max(theta[order[0]], 0)
		for r, idx := range order[:k] {
			var res float64
			for j := range d {
				e := cv[r][j] - theta[idx]*v[r][j]
				res += e * e
			}
			if math.Sqrt(res) > subspaceTol*scale {
				converged = false
				break
			}
		}
		if converged {
			for r, idx := range order[:k] {
				values = append(values, max(theta[idx], 0))
				vecs = append(vecs, append([]float64(nil), v[r]...))
			}
			return values, vecs, true
		}
		for r := range cv {
			copy(q[r], cv[r])
		}
		orthonormalize(q, rng)
	}
	return nil, nil, false
}

// orthonormalize makes the rows of q orthonormal in order by modified
// Gram-Schmidt, twice for accuracy. A row that lies in the span of the ones
// before it (c has lower rank than the basis) is replaced with a random
// direction from rng, so the basis keeps its size.
func orthonormalize(q [][]float64, rng *rand.Rand) {
	for i := range q {
		for attempt := 0; ; attempt++ {
			before := math.Sqrt(dot(q[i], q[i]))
			for range 2 {
				for _, prev := range q[:i] {
					axpy(q[i], -dot(prev, q[i]), prev)
				}
			}
			n := math.Sqrt(dot(q[i], q[i]))
			if n > 1e-10*before && n > 0 {
				for j := range q[i] {
					q[i][j] /= n
				}
				break
			}
			for j := range q[i] {
				q[i][j] = rng.NormFloat64()
			}
		}
	}
}

func newMatrix(rows, cols int) [][]float64 {
	m := make([][]float64, rows)
	for i := range m {
		m[i] = make([]float64, cols)
	}
	return m
}

func dot(a, b []float64) float64 {
	var s float64
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// axpy adds alpha·x to y.
func axpy(y []float64, alpha float64, x []float64) {
	for i, v := range x {
		y[i] += alpha * v
	}
}
