package similarity

import (
	"math"
	"sort"
)

// topEigenJacobi returns the k largest eigenvalues of the symmetric matrix
// a (destroyed) and their unit eigenvectors, by full Jacobi
// eigendecomposition: slow (seconds for 384×384 in wasm) but exact for any
// k, and the reference the fast path is tested against.
func topEigenJacobi(a [][]float64, k int) (values []float64, vecs [][]float64) {
	all, v := jacobiEigen(a)
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return all[order[x]] > all[order[y]] })
	for _, idx := range order[:k] {
		vec := make([]float64, len(a))
		for i := range vec {
			vec[i] = v[i][idx]
		}
		values = append(values, all[idx])
		vecs = append(vecs, vec)
	}
	return values, vecs
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
