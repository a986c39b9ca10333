package xlnet

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/kernel"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// A model file stores XLNet's projections in the kernels' [out, in] layout
// under names of their own (docs/model-format.md): HF keeps q, k, v and r as
// [D, n, d_head] and multiplies from the right, so int8 scales per stored
// row would each cover one input instead of one output.
const (
	fileWord = "word_embedding.weight"
	// maxInt8In is the widest input kernel.NewInt8 takes.
	maxInt8In = 1 << 16
)

// projections are the attention matrices stored transposed, as
// "layer.N.rel_attn.X.weight" [inner, D].
var projections = []string{"q", "k", "v", "r"}

// Spec is the name and shape of one tensor of an XLNet model file.
type Spec struct {
	Name  string
	Shape []int
}

// FileTensors lists the tensors of an XLNet model file with cfg in file
// order.
func FileTensors(cfg Config) []Spec {
	d, n, dh, di, inner := cfg.DModel, cfg.NHead, cfg.DHead, cfg.DInner, cfg.inner()
	specs := []Spec{{fileWord, []int{cfg.VocabSize, d}}}
	for i := range cfg.NLayer {
		a := "layer." + strconv.Itoa(i) + ".rel_attn."
		for _, w := range projections {
			specs = append(specs, Spec{a + w + ".weight", []int{inner, d}})
		}
		specs = append(specs, Spec{a + "o.weight", []int{d, inner}})
		for _, w := range []string{"r_w_bias", "r_r_bias", "r_s_bias"} {
			specs = append(specs, Spec{a + w, []int{n, dh}})
		}
		f := "layer." + strconv.Itoa(i) + ".ff."
		specs = append(specs,
			Spec{a + "seg_embed", []int{2, n, dh}},
			Spec{a + "layer_norm.weight", []int{d}}, Spec{a + "layer_norm.bias", []int{d}},
			Spec{f + "layer_1.weight", []int{di, d}}, Spec{f + "layer_1.bias", []int{di}},
			Spec{f + "layer_2.weight", []int{d, di}}, Spec{f + "layer_2.bias", []int{d}},
			Spec{f + "layer_norm.weight", []int{d}}, Spec{f + "layer_norm.bias", []int{d}})
	}
	return specs
}

// FileWeights turns the tensors of an HF XLNetModel state dict (keyed as
// TensorShapes names them; others are ignored) into the model file's, in
// FileTensors order.
func FileWeights(cfg Config, hf map[string]Tensor) ([]Spec, map[string][]float32, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	for name, shape := range TensorShapes(cfg) {
		t, ok := hf[name]
		switch {
		case !ok:
			return nil, nil, errfmt.Errorf("xlnet: missing tensor %s", name)
		case !slices.Equal(t.Shape, shape) || len(t.Data) != product(shape):
			return nil, nil, errfmt.Errorf("xlnet: tensor %s has shape %v (%d values), want %v", name, t.Shape, len(t.Data), shape)
		}
	}
	specs := FileTensors(cfg)
	out := make(map[string][]float32, len(specs))
	for _, s := range specs {
		hfName := s.Name
		if base, ok := strings.CutSuffix(s.Name, ".weight"); ok && isProjection(base) {
			hfName = base
		}
		v := hf[hfName].Data
		if slices.Contains(projections, lastPart(hfName)) && strings.Contains(hfName, ".rel_attn.") {
			v = transpose(v, cfg.DModel, cfg.inner())
		}
		// o is [D, n, d_head]: already [out, in].
		out[s.Name] = v
	}
	return specs, out, nil
}

// isProjection reports "layer.N.rel_attn.X" for X one of q, k, v, r, o.
func isProjection(name string) bool {
	p := lastPart(name)
	return strings.Contains(name, ".rel_attn.") && (p == "o" || slices.Contains(projections, p))
}

func lastPart(name string) string {
	return name[strings.LastIndexByte(name, '.')+1:]
}

// Builder assembles a Model from the tensors of a model file as they stream
// out of it: int8 matrices stay int8 (kernel.NewInt8), every other dtype is
// dequantized to float32, the word table included.
type Builder struct {
	cfg  Config
	m    *Model
	seen map[string]bool
	// qkv holds each layer's q, k and v until all three are in, to be
	// fused into one Linear; ffW and ffB hold a feed-forward weight or bias
	// ("layer.N.ff.layer_1") until its other half is in.
	qkv [][3]*weight
	ffW map[string]*weight
	ffB map[string][]float32
}

// weight is a stored matrix: float32, or int8 with one scale per row.
type weight struct {
	f32   []float32
	q     []int8
	scale []float32
}

// NewBuilder starts a Model with configuration cfg.
func NewBuilder(cfg Config) (*Builder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Builder{
		cfg:  cfg,
		m:    &Model{cfg: cfg, invFreq: inverseFrequencies(cfg.DModel), layers: make([]layer, cfg.NLayer)},
		seen: map[string]bool{},
		qkv:  make([][3]*weight, cfg.NLayer),
		ffW:  map[string]*weight{},
		ffB:  map[string][]float32{},
	}, nil
}

// Add takes one tensor of the model file.
func (b *Builder) Add(t *modelfile.Tensor) error {
	if t.DType == modelfile.I8 && len(t.Shape) == 2 && t.Name != fileWord {
		q, scale, err := t.Int8()
		if err != nil {
			return errfmt.Errorf("tensor %s: %w", t.Name, err)
		}
		return b.add(t.Name, t.Shape, &weight{q: q, scale: scale})
	}
	v, err := t.Float32()
	if err != nil {
		return errfmt.Errorf("tensor %s: %w", t.Name, err)
	}
	return b.add(t.Name, t.Shape, &weight{f32: v})
}

// shapeOf returns the layer of a tensor of the model file, its name within
// the layer and the shape cfg implies, as FileTensors lists them; i is -1
// for the word table.
func (c Config) shapeOf(name string) (i int, rest string, shape []int, err error) {
	d, inner := c.DModel, c.inner()
	if name == fileWord {
		return -1, "", []int{c.VocabSize, d}, nil
	}
	num, rest, ok := strings.Cut(strings.TrimPrefix(name, "layer."), ".")
	i, aerr := strconv.Atoi(num)
	if !strings.HasPrefix(name, "layer.") || !ok || aerr != nil || i < 0 || i >= c.NLayer || strconv.Itoa(i) != num {
		return 0, "", nil, errfmt.Errorf("xlnet: unexpected tensor %s", name)
	}
	switch rest {
	case "rel_attn.q.weight", "rel_attn.k.weight", "rel_attn.v.weight", "rel_attn.r.weight":
		shape = []int{inner, d}
	case "rel_attn.o.weight":
		shape = []int{d, inner}
	case "rel_attn.r_w_bias", "rel_attn.r_r_bias", "rel_attn.r_s_bias":
		shape = []int{c.NHead, c.DHead}
	case "rel_attn.seg_embed":
		shape = []int{2, c.NHead, c.DHead}
	case "rel_attn.layer_norm.weight", "rel_attn.layer_norm.bias", "ff.layer_norm.weight", "ff.layer_norm.bias", "ff.layer_2.bias":
		shape = []int{d}
	case "ff.layer_1.weight":
		shape = []int{c.DInner, d}
	case "ff.layer_1.bias":
		shape = []int{c.DInner}
	case "ff.layer_2.weight":
		shape = []int{d, c.DInner}
	default:
		return 0, "", nil, errfmt.Errorf("xlnet: unexpected tensor %s", name)
	}
	return i, rest, shape, nil
}

func (b *Builder) add(name string, shape []int, w *weight) error {
	i, rest, want, err := b.cfg.shapeOf(name)
	switch {
	case err != nil:
		return err
	case !slices.Equal(shape, want):
		return errfmt.Errorf("xlnet: tensor %s: shape %v, config wants %v", name, shape, want)
	case b.seen[name]:
		return errfmt.Errorf("xlnet: tensor %s: given twice", name)
	case w.q != nil && shape[1] > maxInt8In:
		return errfmt.Errorf("xlnet: tensor %s: int8 with %d inputs, at most %d", name, shape[1], maxInt8In)
	}
	b.seen[name] = true
	if i < 0 {
		b.m.word = w.f32
		return nil
	}
	l := &b.m.layers[i]
	c := b.cfg
	d, inner := c.DModel, c.inner()
	switch rest {
	case "rel_attn.q.weight", "rel_attn.k.weight", "rel_attn.v.weight":
		b.qkv[i][slices.Index([]string{"q", "k", "v"}, rest[len("rel_attn."):len("rel_attn.")+1])] = w
		if p := b.qkv[i]; p[0] != nil && p[1] != nil && p[2] != nil {
			l.qkv = fuse(p[:], 3*inner, d)
			b.qkv[i] = [3]*weight{}
		}
	case "rel_attn.r.weight":
		l.r = w.linear(nil, inner, d)
	case "rel_attn.o.weight":
		l.o = w.linear(nil, d, inner)
	case "rel_attn.r_w_bias":
		l.rw = w.f32
	case "rel_attn.r_r_bias":
		l.rr = w.f32
	case "rel_attn.r_s_bias":
		l.rs = w.f32
	case "rel_attn.seg_embed":
		l.seg = w.f32
	case "rel_attn.layer_norm.weight":
		l.attnGamma = w.f32
	case "rel_attn.layer_norm.bias":
		l.attnBeta = w.f32
	case "ff.layer_norm.weight":
		l.ffGamma = w.f32
	case "ff.layer_norm.bias":
		l.ffBeta = w.f32
	default:
		b.addFeedForward(l, name, w)
	}
	return nil
}

// addFeedForward files a feed-forward weight or bias ("layer.N.ff.layer_1.weight")
// and builds the Linear once both have arrived, in either order.
func (b *Builder) addFeedForward(l *layer, name string, w *weight) {
	key, isWeight := strings.CutSuffix(name, ".weight")
	if isWeight {
		b.ffW[key] = w
	} else {
		key = strings.TrimSuffix(name, ".bias")
		b.ffB[key] = w.f32
	}
	fw, fb := b.ffW[key], b.ffB[key]
	if fw == nil || fb == nil {
		return
	}
	delete(b.ffW, key)
	delete(b.ffB, key)
	c := b.cfg
	if strings.HasSuffix(key, ".layer_2") {
		l.ff2 = fw.linear(fb, c.DModel, c.DInner)
		return
	}
	var opts []kernel.Option
	if c.FFActivation == "gelu" {
		opts = append(opts, kernel.WithGELU())
	}
	l.ff1 = fw.linear(fb, c.DInner, c.DModel, opts...)
}

// tensorsPerLayer counts a layer's tensors in FileTensors.
const tensorsPerLayer = 17

// Done checks that every tensor has arrived and returns the Model.
func (b *Builder) Done() (*Model, error) {
	// add lets in only known names, each once, so counting them is
	// enough (listing them all would cost the browser engine FileTensors).
	if want := 1 + tensorsPerLayer*b.cfg.NLayer; len(b.seen) != want {
		return nil, errfmt.Errorf("xlnet: %d of the %d tensors the config implies", len(b.seen), want)
	}
	m := b.m
	b.m = nil
	return m, nil
}

func (w *weight) linear(bias []float32, out, in int, opts ...kernel.Option) kernel.Linear {
	if w.q != nil {
		return kernel.NewInt8(w.q, w.scale, bias, out, in, opts...)
	}
	return kernel.NewF32(w.f32, bias, out, in, opts...)
}

// fuse stacks the rows of parts into one Linear without bias: int8 when all
// are int8, else float32.
func fuse(parts []*weight, out, in int) kernel.Linear {
	all8 := true
	for _, p := range parts {
		all8 = all8 && p.q != nil
	}
	var f weight
	for _, p := range parts {
		switch {
		case all8:
			f.q = append(f.q, p.q...)
			f.scale = append(f.scale, p.scale...)
		default:
			f.f32 = append(f.f32, p.float32()...)
		}
	}
	return f.linear(nil, out, in)
}

// float32 returns the values as float32, dequantizing int8 rows as
// modelfile.DequantizeInt8 does.
func (w *weight) float32() []float32 {
	if w.q == nil {
		return w.f32
	}
	cols := len(w.q) / len(w.scale)
	v := make([]float32, len(w.q))
	for i, q := range w.q {
		v[i] = float32(q) * w.scale[i/cols]
	}
	return v
}

// FileConfig is the Config a model file's header describes: m under BERT's
// names (modelfile.XLNetConfig says which) and x.
func FileConfig(m modelfile.BertConfig, x modelfile.XLNetConfig) Config {
	return Config{
		VocabSize: m.VocabSize, DModel: m.HiddenSize, NLayer: m.NumHiddenLayers, NHead: m.NumAttentionHeads,
		DHead: x.DHead, DInner: m.IntermediateSize, FFActivation: m.HiddenAct, LayerNormEps: m.LayerNormEps,
		AttnType: "bi", ClampLen: x.ClampLen, PadTokenID: m.PadTokenID,
	}
}

// Header returns c as a model file header stores it (FileConfig's inverse).
func (c Config) Header() (modelfile.BertConfig, modelfile.XLNetConfig) {
	return modelfile.BertConfig{
		VocabSize: c.VocabSize, HiddenSize: c.DModel, NumHiddenLayers: c.NLayer, NumAttentionHeads: c.NHead,
		IntermediateSize: c.DInner, LayerNormEps: c.LayerNormEps, HiddenAct: c.FFActivation, PadTokenID: c.PadTokenID,
		ModelType: modelfile.ModelTypeXLNet,
	}, modelfile.XLNetConfig{DHead: c.DHead, ClampLen: c.ClampLen}
}
