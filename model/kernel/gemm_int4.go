package kernel

// gemm4x8I4Go sets c[r·8+j] = rs[r]·Σ_g gs[g·8+j]·Σ_{k in g} x[r·ldx+k]·Q[j][k]
// for 4 rows of x and the 8 columns of a nibble panel (see denseInt4), each
// group's sum in int32 (exact, see int4ActLimit) and the groups' in f32, in
// order; in is a multiple of group, group of 4. It is the reference the
// SIMD kernel must match bit for bit.
func gemm4x8I4Go(c *[4 * panelWidth]float32, x []int16, ldx int, q []byte, gs []float32, in, group int, rs *[4]float32) {
	q, gs = q[:in*panelWidth/2], gs[:in/group*panelWidth]
	_ = x[3*ldx+in-1]
	var acc [4][panelWidth]float32
	for g0 := 0; g0 < in; g0 += group {
		var sum [4][panelWidth]int32
		for k := g0; k < g0+group; k += 2 {
			// Each pair is unpacked once for the 4 rows.
			pair := q[k/2*panelWidth : (k/2+1)*panelWidth]
			var w [2 * panelWidth]int32
			for i := range w {
				w[i] = int32(nibbleAt(pair, i))
			}
			for r := range sum {
				x0, x1 := int32(x[r*ldx+k]), int32(x[r*ldx+k+1])
				for j := range sum[r] {
					sum[r][j] += w[2*j]*x0 + w[2*j+1]*x1
				}
			}
		}
		s := gs[g0/group*panelWidth:]
		for r := range acc {
			for j := range acc[r] {
				// The conversion keeps the product rounded on its own, as
				// on wasm, where nothing fuses it with the add.
				acc[r][j] += float32(float32(sum[r][j]) * s[j])
			}
		}
	}
	for r := range acc {
		for j, a := range acc[r] {
			c[r*panelWidth+j] = a * rs[r]
		}
	}
}

// nibbleAt returns weight i (0-15) of an 8-byte pair of a nibble panel.
func nibbleAt(pair []byte, i int) int8 {
	return int8(pair[i%8]<<(4*(1-i/8))) >> 4
}
