package kernel

// gemm4x8I16Go sets c[r·8+j] = rs[r]·Σ_k x[r·ldx+k]·Q[j][k] for 4 rows of x
// and the 8 columns of a pair-packed int8 panel (see denseInt8), summing in
// int32; in is a multiple of 4. It is the reference for the SIMD kernels,
// which must match it bit for bit: the integer sums are exact in any order
// (see actLimit), and the one float rounding is the same.
func gemm4x8I16Go(c *[4 * panelWidth]float32, x []int16, ldx int, q []int8, in int, rs *[4]float32) {
	q = q[:in*panelWidth]
	for r := 0; r < 4; r++ {
		xr := x[r*ldx : r*ldx+in]
		var acc [panelWidth]int32
		for k := 0; k < in; k += 2 {
			w := q[k*panelWidth : (k+2)*panelWidth]
			x0, x1 := int32(xr[k]), int32(xr[k+1])
			for j := range acc {
				acc[j] += int32(w[2*j])*x0 + int32(w[2*j+1])*x1
			}
		}
		for j, a := range acc {
			c[r*panelWidth+j] = float32(a) * rs[r]
		}
	}
}

// gemmTilesI16Each is gemmTilesI16 as one gemm4x8I16 call per tile.
func gemmTilesI16Each(c []float32, x []int16, ldx int, q []int8, rs []float32, tiles int) {
	for t := 0; t < tiles; t++ {
		gemm4x8I16((*[4 * panelWidth]float32)(c[4*panelWidth*t:]), x[4*t*ldx:], ldx, q, (*[4]float32)(rs[4*t:]))
	}
}
