package kernel

// The reductions (sum, sumSqDev, Softmax's normalizer) add in one fixed
// order, which these portable versions spell out and the SIMD versions
// reproduce bit for bit: element i goes to lane i mod 4, each lane adds its
// elements in index order, and the lanes combine as (l0+l1)+(l2+l3). Zeros
// past the end (the exp of masked keys in Softmax) leave every lane as it
// was, so a row's result depends on the row alone, not on how far its batch
// is padded or on which build runs it. That matters beyond the last bit:
// the int8 Linear quantizes each row of activations, and a one-ulp change
// upstream flips roundings there that grow to ~1e-4 in the embedding
// (TestForwardBatchInvariant in model/bert).

// lanes4 is the accumulator of the fixed order.
type lanes4 [4]float32

func (l *lanes4) total() float32 { return (l[0] + l[1]) + (l[2] + l[3]) }

// sumGo returns Σ x[i].
func sumGo(x []float32) float32 {
	var l lanes4
	i := 0
	for ; i+4 <= len(x); i += 4 {
		l[0] += x[i]
		l[1] += x[i+1]
		l[2] += x[i+2]
		l[3] += x[i+3]
	}
	for j, v := range x[i:] {
		l[j] += v
	}
	return l.total()
}

// sumSqDevGo returns Σ (x[i]-mean)².
func sumSqDevGo(x []float32, mean float32) float32 {
	var l lanes4
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0, d1, d2, d3 := x[i]-mean, x[i+1]-mean, x[i+2]-mean, x[i+3]-mean
		l[0] += d0 * d0
		l[1] += d1 * d1
		l[2] += d2 * d2
		l[3] += d3 * d3
	}
	for j, v := range x[i:] {
		d := v - mean
		l[j] += d * d
	}
	return l.total()
}

// softmaxGo is Softmax in portable Go.
func softmaxGo(x []float32) {
	if len(x) == 0 {
		return
	}
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	var l lanes4
	for i, v := range x {
		e := expNeg32(v - m)
		x[i] = e
		l[i%4] += e
	}
	scaleGo(1/l.total(), x)
}

// scaleGo sets x[i] *= alpha.
func scaleGo(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}
