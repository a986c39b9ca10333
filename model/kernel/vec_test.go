package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

var vecSizes = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 383, 384, 1536}

func TestDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range vecSizes {
		a, b := randSlice(rng, n), randSlice(rng, n+3)
		var mag float64
		for i := range a {
			mag += math.Abs(float64(a[i] * b[i]))
		}
		got, want := Dot(a, b), DotRef(a, b)
		if d := math.Abs(float64(got - want)); d > 1e-6*max(mag, 1e-30) && d != 0 {
			t.Errorf("n=%d: Dot = %v, want %v", n, got, want)
		}
	}
}

func TestAxpyScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range vecSizes {
		x, y := randSlice(rng, n), randSlice(rng, n+3)
		alpha := rng.Float32()*4 - 2
		got, want := append([]float32(nil), y...), append([]float32(nil), y...)
		Axpy(alpha, x, got)
		AxpyRef(alpha, x, want)
		assertClose(t, "Axpy", got, want, 1e-6)
		Scale(alpha, got)
		ScaleRef(alpha, want)
		assertClose(t, "Scale", got, want, 1e-6)
	}
}

// assertClose checks |got-want| ≤ tol·max(1, |want|) element-wise.
func assertClose(t *testing.T, name string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", name, len(got), len(want))
	}
	for i := range got {
		w := float64(want[i])
		if d := math.Abs(float64(got[i]) - w); !(d <= tol*max(1, math.Abs(w))) {
			t.Fatalf("%s: [%d] = %v, want %v (|diff| %.3g, n=%d)", name, i, got[i], want[i], d, len(got))
		}
	}
}
