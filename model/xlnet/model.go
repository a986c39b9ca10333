package xlnet

import (
	"slices"
	"strconv"

	"github.com/wasmbert/wasmbert/model/kernel"
)

// Tensor is one float32 weight, row-major.
type Tensor struct {
	Shape []int
	Data  []float32
}

// Model is a loaded XLNet encoder. It is read-only after New, so any number
// of goroutines may run Forward on it, each with its own Workspace.
type Model struct {
	cfg     Config
	word    []float32 // [V, D]
	invFreq []float32 // [D/2] the position encoding's frequencies
	layers  []layer
}

// layer is one XLNet block: relative attention, then the feed-forward.
type layer struct {
	qkv kernel.Linear // [3·inner, D]: the q, k, v heads in that order
	r   kernel.Linear // [inner, D]: projects the position encodings
	o   kernel.Linear // [D, inner]
	// rw, rr, rs are r_w_bias, r_r_bias and r_s_bias, [inner] each; seg is
	// seg_embed, [2, inner]: row 0 for a key in the query's segment.
	rw, rr, rs, seg     []float32
	attnGamma, attnBeta []float32
	ff1                 kernel.Linear // [d_inner, D]
	ff2                 kernel.Linear // [D, d_inner]
	ffGamma, ffBeta     []float32
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// TensorShapes lists the tensors of an XLNetModel with cfg and their shapes,
// named as in its state dict (no "transformer." prefix).
func TensorShapes(cfg Config) map[string][]int {
	d, n, dh, di := cfg.DModel, cfg.NHead, cfg.DHead, cfg.DInner
	s := map[string][]int{"word_embedding.weight": {cfg.VocabSize, d}}
	for i := range cfg.NLayer {
		p := "layer." + strconv.Itoa(i) + "."
		for _, w := range []string{"q", "k", "v", "o", "r"} {
			s[p+"rel_attn."+w] = []int{d, n, dh}
		}
		for _, w := range []string{"r_w_bias", "r_r_bias", "r_s_bias"} {
			s[p+"rel_attn."+w] = []int{n, dh}
		}
		s[p+"rel_attn.seg_embed"] = []int{2, n, dh}
		for _, ln := range []string{"rel_attn.layer_norm.", "ff.layer_norm."} {
			s[p+ln+"weight"] = []int{d}
			s[p+ln+"bias"] = []int{d}
		}
		s[p+"ff.layer_1.weight"] = []int{di, d}
		s[p+"ff.layer_1.bias"] = []int{di}
		s[p+"ff.layer_2.weight"] = []int{d, di}
		s[p+"ff.layer_2.bias"] = []int{d}
	}
	return s
}

// New builds the encoder from the float32 weights of an HF XLNetModel,
// keyed as TensorShapes names them; others (mask_emb, heads) are ignored.
// The weights are copied into the kernels' layouts, so tensors is not
// retained.
func New(cfg Config, tensors map[string]Tensor) (*Model, error) {
	specs, weights, err := FileWeights(cfg, tensors)
	if err != nil {
		return nil, err
	}
	b, err := NewBuilder(cfg)
	if err != nil {
		return nil, err
	}
	for _, s := range specs {
		if err := b.add(s.Name, s.Shape, &weight{f32: slices.Clone(weights[s.Name])}); err != nil {
			return nil, err
		}
	}
	return b.Done()
}

// transpose returns the [cols, rows] transpose of the row-major [rows, cols] a:
// HF's q, k, v and r are [D, n, d_head] and multiply from the right.
func transpose(a []float32, rows, cols int) []float32 {
	t := make([]float32, len(a))
	for r := range rows {
		for c := range cols {
			t[c*rows+r] = a[r*cols+c]
		}
	}
	return t
}

func product(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
