package kernel

// gemm4x8F32Go sets c[r·8+j] = Σ_k x[r·ldx+k]·panel[k·8+j] for k < in and 4
// rows of x, ldx apart.
// The 32 accumulators exceed the register file on most targets, so the
// portable kernel splits the panel into two 4-column halves: 16 accumulators
// each, and one more pass over the 4 rows of x, which are in L1.
func gemm4x8F32Go(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in int) {
	gemm4x4F32(c, x, ldx, panel, in, 0)
	gemm4x4F32(c, x, ldx, panel, in, 4)
}

func gemm4x4F32(c *[4 * panelWidth]float32, x []float32, ldx int, panel []float32, in, j0 int) {
	x0, x1, x2, x3 := x[:in], x[ldx:ldx+in], x[2*ldx:2*ldx+in], x[3*ldx:3*ldx+in]
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	var c20, c21, c22, c23 float32
	var c30, c31, c32, c33 float32
	for k := 0; k < in; k++ {
		w := panel[k*panelWidth+j0 : k*panelWidth+j0+4 : k*panelWidth+j0+4]
		w0, w1, w2, w3 := w[0], w[1], w[2], w[3]
		a := x0[k]
		c00 += a * w0
		c01 += a * w1
		c02 += a * w2
		c03 += a * w3
		a = x1[k]
		c10 += a * w0
		c11 += a * w1
		c12 += a * w2
		c13 += a * w3
		a = x2[k]
		c20 += a * w0
		c21 += a * w1
		c22 += a * w2
		c23 += a * w3
		a = x3[k]
		c30 += a * w0
		c31 += a * w1
		c32 += a * w2
		c33 += a * w3
	}
	c[0*panelWidth+j0], c[0*panelWidth+j0+1], c[0*panelWidth+j0+2], c[0*panelWidth+j0+3] = c00, c01, c02, c03
	c[1*panelWidth+j0], c[1*panelWidth+j0+1], c[1*panelWidth+j0+2], c[1*panelWidth+j0+3] = c10, c11, c12, c13
	c[2*panelWidth+j0], c[2*panelWidth+j0+1], c[2*panelWidth+j0+2], c[2*panelWidth+j0+3] = c20, c21, c22, c23
	c[3*panelWidth+j0], c[3*panelWidth+j0+1], c[3*panelWidth+j0+2], c[3*panelWidth+j0+3] = c30, c31, c32, c33
}

// gemm1x8F32Go is gemm4x8F32Go for a single row.
func gemm1x8F32Go(c *[panelWidth]float32, x, panel []float32, in int) {
	x = x[:in]
	var c0, c1, c2, c3, c4, c5, c6, c7 float32
	for k, a := range x {
		w := panel[k*panelWidth : k*panelWidth+8 : k*panelWidth+8]
		c0 += a * w[0]
		c1 += a * w[1]
		c2 += a * w[2]
		c3 += a * w[3]
		c4 += a * w[4]
		c5 += a * w[5]
		c6 += a * w[6]
		c7 += a * w[7]
	}
	*c = [panelWidth]float32{c0, c1, c2, c3, c4, c5, c6, c7}
}
