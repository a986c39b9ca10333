package kernel

import "math"

// The float32 exp used by Softmax, Cephes' expf: x = n·ln2 + r with
// |r| ≤ ln2/2 (ln2 split in two so n·ln2 is exact), e^r by a degree-6
// polynomial, 2ⁿ built in the exponent bits. Softmax only feeds it x ≤ 0.
// Below expMin, where e^x nears the float32 subnormals, it returns exactly 0,
// so masked keys (HF adds the float32 minimum) get exactly zero weight, as in
// PyTorch; NaN also gives 0.
const (
	expMin   = -87.0
	expLog2e = 1.44269504088896341
	expLn2Hi = 0.693359375
	expLn2Lo = -2.12194440e-4

	expP0 = 1.9875691500e-4
	expP1 = 1.3981999507e-3
	expP2 = 8.3334519073e-3
	expP3 = 4.1665795894e-2
	expP4 = 1.6666665459e-1
	expP5 = 5.0000001201e-1
)

// expNeg32 returns e^x for x ≤ 0 (larger x is not supported).
func expNeg32(x float32) float32 {
	if !(x >= expMin) {
		return 0
	}
	n := float32(math.Floor(float64(x*expLog2e + 0.5)))
	r := x - n*expLn2Hi - n*expLn2Lo
	z := r * r
	p := expP0*r + expP1
	p = p*r + expP2
	p = p*r + expP3
	p = p*r + expP4
	p = p*r + expP5
	p = p*z + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}
