package kernel

// The float32 erf used by GELU: erf(x) ≈ x·P(x²)/Q(x²) on x clamped to
// [-4, 4] (beyond it erf is ±1 to float32 precision), the rational
// approximation Eigen and XLA use for float. It has no exp and no branch, so
// the SIMD version is the same arithmetic on four lanes.
const (
	erfClamp = 4

	erfA1  = -1.60960333262415e-02
	erfA3  = -2.95459980854025e-03
	erfA5  = -7.34990630326855e-04
	erfA7  = -5.69250639462346e-05
	erfA9  = -2.10102402082508e-06
	erfA11 = 2.77068142495902e-08
	erfA13 = -2.72614225801306e-10

	erfB0 = -1.42647390514189e-02
	erfB2 = -7.37332916720468e-03
	erfB4 = -1.68282697438203e-03
	erfB6 = -2.13374055278905e-04
	erfB8 = -1.45660718464996e-05
)

func erf32(x float32) float32 {
	// Comparisons rather than the min/max builtins: on wasm those call into
	// the runtime to handle NaN and signed zeros.
	if x > erfClamp {
		x = erfClamp
	} else if x < -erfClamp {
		x = -erfClamp
	}
	x2 := x * x
	p := x2*erfA13 + erfA11
	p = x2*p + erfA9
	p = x2*p + erfA7
	p = x2*p + erfA5
	p = x2*p + erfA3
	p = x2*p + erfA1
	p *= x
	q := x2*erfB8 + erfB6
	q = x2*q + erfB4
	q = x2*q + erfB2
	q = x2*q + erfB0
	return p / q
}

// gelu32 is the exact GELU x·½·(1+erf(x/√2)) with erf32.
func gelu32(x float32) float32 {
	return 0.5 * x * (1 + erf32(x*sqrt1_2))
}

const sqrt1_2 = 0.70710678118654752440
