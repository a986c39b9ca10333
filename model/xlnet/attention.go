package xlnet

import (
	"math"

	"github.com/wasmbert/wasmbert/model/kernel"
)

// masked is HF's additive mask, score − 1e30: its exp underflows to 0.
const masked = -1e30

// inverseFrequencies returns the D/2 frequencies f_i = 1/10000^(2i/D) of the
// sinusoidal encoding, each step rounded to float32 as HF computes them.
func inverseFrequencies(d int) []float32 {
	f := make([]float32, d/2)
	for i := range f {
		f[i] = 1 / float32(math.Pow(10000, float64(float32(2*i)/float32(d))))
	}
	return f
}

// positionEncoding writes into pos the sinusoidal encodings of the distances
// S−1 down to −(S−1), row k for distance S−1−k: the first D/2 columns
// sin(p·f), the others cos(p·f). The angles p·f are rounded to float32 as in
// HF, so they match to the bit. HF encodes 2S distances, from S down;
// distance S is never used.
func positionEncoding(pos []float32, invFreq []float32, s, clamp int) {
	half := len(invFreq)
	d := 2 * half
	for k := range 2*s - 1 {
		p := s - 1 - k
		if clamp > 0 {
			p = max(-clamp, min(clamp, p))
		}
		row := pos[k*d : (k+1)*d]
		for i, f := range invFreq {
			a := float64(float32(p) * f)
			row[i] = float32(math.Sin(a))
			row[half+i] = float32(math.Cos(a))
		}
	}
}

// attention computes the relative attention context of every sequence of the
// batch into ws.ctx from ws.qkv (the content heads) and ws.kr (the position
// heads). For query i, key j and each head:
//
//	score = ((q+r_w)·k_j + (q+r_r)·R(i−j) + (q+r_s)·seg[tt_i ≠ tt_j]) / √d_head
//
// A padding key j ≠ i is masked: HF's non_tgt_mask lets a padding query see
// itself, so its (unused) row is computed as HF computes it.
func (l *layer) attention(ws *Workspace, in *Input, heads, dh int) {
	s := in.SeqLen
	inner := heads * dh
	scale := float32(1 / math.Sqrt(float64(dh)))
	qw, qr, qs := ws.q[:dh], ws.q[dh:2*dh], ws.q[2*dh:3*dh]
	for b := range in.Batch {
		base := b * s
		var mask, types []int32
		if in.Mask != nil {
			mask = in.Mask[base : base+s]
		}
		if in.TypeIDs != nil {
			types = in.TypeIDs[base : base+s]
		}
		for h := range heads {
			off := h * dh
			for i := range s {
				q := ws.qkv[(base+i)*3*inner+off:][:dh]
				for t := range dh {
					qw[t] = q[t] + l.rw[off+t]
					qr[t] = q[t] + l.rr[off+t]
					qs[t] = q[t] + l.rs[off+t]
				}
				// One segment gives every key the same score, which the
				// softmax cancels, so it is computed only with type ids.
				var same, other float32
				if types != nil {
					same = kernel.Dot(qs, l.seg[off:])
					other = kernel.Dot(qs, l.seg[inner+off:])
				}
				scores := ws.scores[:s]
				for j := range s {
					if mask != nil && mask[j] == 0 && j != i {
						scores[j] = masked
						continue
					}
					sc := kernel.Dot(qw, ws.qkv[(base+j)*3*inner+inner+off:])
					sc += kernel.Dot(qr, ws.kr[(s-1-i+j)*inner+off:])
					if types != nil {
						if types[i] == types[j] {
							sc += same
						} else {
							sc += other
						}
					}
					scores[j] = sc * scale
				}
				kernel.Softmax(scores)
				ctx := ws.ctx[(base+i)*inner+off:][:dh]
				clear(ctx)
				for j, p := range scores {
					if p != 0 {
						kernel.Axpy(p, ws.qkv[(base+j)*3*inner+2*inner+off:][:dh], ctx)
					}
				}
			}
		}
	}
}
