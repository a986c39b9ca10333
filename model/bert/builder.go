package bert

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/kernel"
	"github.com/wasmbert/wasmbert/model/modelfile"
)

// Builder assembles a Model from tensors as they stream out of a model file,
// turning each into its packed kernel form at once, so a loader never holds
// the file's weights and the packed weights together for more than one
// layer's query/key/value projections.
type Builder struct {
	cfg    Config
	m      *Model
	seen   map[string]bool
	linear map[string]*pendingLinear // keyed by layer prefix, e.g. "encoder.layer.0.attention.self"
}

// pendingLinear collects the weights and biases that make up one Linear
// until they are all there. A fused QKV layer has three parts (query, key,
// value, in that row order whatever the file order), any other layer one.
type pendingLinear struct {
	weights [3]*tensorData
	biases  [3][]float32
	in      int
	got     int
}

// tensorData is a weight matrix in one of its precisions: f32, int8 (q and
// one scale per row) or int4 (nibbles in the model file's layout, cols
// columns, and one scale per group of columns).
type tensorData struct {
	f32     []float32
	q       []int8
	nibbles []byte
	cols    int
	group   int
	scale   []float32
}

// NewBuilder starts a Model with configuration cfg.
func NewBuilder(cfg Config) (*Builder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	act, _ := parseActivation(cfg.HiddenAct)
	return &Builder{
		cfg:    cfg,
		m:      &Model{cfg: cfg, act: act, layers: make([]layer, cfg.NumHiddenLayers)},
		seen:   map[string]bool{},
		linear: map[string]*pendingLinear{},
	}, nil
}

// Add takes one tensor of the model file. i8 tensors stay int8 (matrices go
// to kernel.NewInt8, embedding tables are dequantized row by row on lookup),
// i4 tensors stay int4 the same way (matrices go to kernel.NewInt4 if it
// takes their group size); every other dtype is dequantized to float32.
func (b *Builder) Add(t *modelfile.Tensor) error {
	if t.DType == modelfile.I4 && len(t.Shape) == 2 && (isEmbeddingTable(t.Name) || kernel.Int4Group(t.GroupSize)) {
		packed, scale, err := t.Int4()
		if err != nil {
			return errfmt.Errorf("tensor %s: %w", t.Name, err)
		}
		// A copy, so the table does not keep the tensor's scale bytes alive.
		return b.add(t.Name, t.Shape, tensorData{nibbles: slices.Clone(packed), cols: t.Shape[1], group: t.GroupSize, scale: scale})
	}
	if t.DType == modelfile.I8 && len(t.Shape) == 2 {
		q, scale, err := t.Int8()
		if err != nil {
			return errfmt.Errorf("tensor %s: %w", t.Name, err)
		}
		return b.add(t.Name, t.Shape, tensorData{q: q, scale: scale})
	}
	v, err := t.Float32()
	if err != nil {
		return errfmt.Errorf("tensor %s: %w", t.Name, err)
	}
	return b.add(t.Name, t.Shape, tensorData{f32: v})
}

// AddFloat32 takes one float32 tensor by name; shape must match the config.
func (b *Builder) AddFloat32(name string, shape []int, v []float32) error {
	return b.add(name, shape, tensorData{f32: v})
}

func (b *Builder) add(name string, shape []int, d tensorData) error {
	if ignoredTensor(name) {
		return nil
	}
	want, err := b.shapeOf(name)
	if err != nil {
		return err
	}
	if !slices.Equal(shape, want) {
		return errfmt.Errorf("tensor %s: shape %v, config wants %v", name, shape, want)
	}
	if n := product(want); (d.f32 != nil && len(d.f32) != n) || (d.q != nil && (len(d.q) != n || len(d.scale) != want[0])) ||
		(d.nibbles != nil && (d.group <= 0 || len(d.nibbles) != want[0]*((want[1]+1)/2) || len(d.scale) != want[0]*((want[1]+d.group-1)/d.group))) {
		return errfmt.Errorf("tensor %s: data does not match shape %v", name, want)
	}
	if b.seen[name] {
		return errfmt.Errorf("tensor %s: given twice", name)
	}
	b.seen[name] = true

	m := b.m
	switch name {
	case "embeddings.word_embeddings.weight":
		m.word = newEmbeddingTable(d, want)
		return nil
	case "embeddings.position_embeddings.weight":
		m.position = newEmbeddingTable(d, want)
		return nil
	case "embeddings.token_type_embeddings.weight":
		m.tokenType = newEmbeddingTable(d, want)
		return nil
	case "embeddings.LayerNorm.weight":
		m.embGamma = d.float32()
		return nil
	case "embeddings.LayerNorm.bias":
		m.embBeta = d.float32()
		return nil
	}

	l, rest := b.layerOf(name) // shapeOf has checked the name
	switch rest {
	case "attention.output.LayerNorm.weight":
		l.attnGamma = d.float32()
	case "attention.output.LayerNorm.bias":
		l.attnBeta = d.float32()
	case "output.LayerNorm.weight":
		l.outGamma = d.float32()
	case "output.LayerNorm.bias":
		l.outBeta = d.float32()
	default:
		return b.addLinearPart(l, name, want, d)
	}
	return nil
}

// Done checks that every tensor has arrived and returns the Model.
func (b *Builder) Done() (*Model, error) {
	for _, name := range b.expected() {
		if !b.seen[name] {
			return nil, errfmt.Errorf("bert: missing tensor %s", name)
		}
	}
	m := b.m
	b.m = nil
	return m, nil
}

// New builds a Model from float32 tensors keyed by HF name (no "bert." prefix).
func New(cfg Config, tensors map[string][]float32) (*Model, error) {
	b, err := NewBuilder(cfg)
	if err != nil {
		return nil, err
	}
	for _, name := range b.expected() {
		v, ok := tensors[name]
		if !ok {
			return nil, errfmt.Errorf("bert: missing tensor %s", name)
		}
		shape, _ := b.shapeOf(name)
		if err := b.AddFloat32(name, shape, v); err != nil {
			return nil, err
		}
	}
	return b.Done()
}

// TensorNames lists the tensors a Model with cfg is built from, in model file order.
func TensorNames(cfg Config) []string {
	return (&Builder{cfg: cfg}).expected()
}

// TensorSpec is the name and shape of one tensor of a BERT checkpoint.
type TensorSpec struct {
	Name  string
	Shape []int
}

// Tensors lists the tensors of a BertModel with cfg in model file order
// (docs/model-format.md), with the shapes cfg implies; pooler adds the
// pooler, which checkpoints may carry and the encoder does not use.
func Tensors(cfg Config, pooler bool) []TensorSpec {
	b := &Builder{cfg: cfg}
	var specs []TensorSpec
	for _, name := range b.expected() {
		shape, _ := b.shapeOf(name) // expected lists only names shapeOf knows
		specs = append(specs, TensorSpec{name, shape})
	}
	if pooler {
		h := cfg.HiddenSize
		specs = append(specs, TensorSpec{"pooler.dense.weight", []int{h, h}}, TensorSpec{"pooler.dense.bias", []int{h}})
	}
	return specs
}

func (b *Builder) expected() []string {
	names := []string{
		"embeddings.word_embeddings.weight",
		"embeddings.position_embeddings.weight",
		"embeddings.token_type_embeddings.weight",
		"embeddings.LayerNorm.weight",
		"embeddings.LayerNorm.bias",
	}
	for i := 0; i < b.cfg.NumHiddenLayers; i++ {
		p := "encoder.layer." + strconv.Itoa(i) + "."
		for _, s := range layerTensors {
			names = append(names, p+s)
		}
	}
	return names
}

var layerTensors = []string{
	"attention.self.query.weight", "attention.self.query.bias",
	"attention.self.key.weight", "attention.self.key.bias",
	"attention.self.value.weight", "attention.self.value.bias",
	"attention.output.dense.weight", "attention.output.dense.bias",
	"attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
	"intermediate.dense.weight", "intermediate.dense.bias",
	"output.dense.weight", "output.dense.bias",
	"output.LayerNorm.weight", "output.LayerNorm.bias",
}

// ignoredTensor reports tensors of a BertModel checkpoint the encoder does
// not use: the pooler (sentence embeddings pool the hidden states
// themselves) and the position_ids buffer.
func ignoredTensor(name string) bool {
	return strings.HasPrefix(name, "pooler.") || name == "embeddings.position_ids"
}

// shapeOf returns the shape cfg implies for a tensor, or an error for a
// name that is not part of the encoder.
func (b *Builder) shapeOf(name string) ([]int, error) {
	c := b.cfg
	h, inter := c.HiddenSize, c.IntermediateSize
	switch name {
	case "embeddings.word_embeddings.weight":
		return []int{c.VocabSize, h}, nil
	case "embeddings.position_embeddings.weight":
		return []int{c.MaxPositionEmbeddings, h}, nil
	case "embeddings.token_type_embeddings.weight":
		return []int{c.TypeVocabSize, h}, nil
	case "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias":
		return []int{h}, nil
	}
	idx, rest, ok := splitLayer(name)
	if !ok || idx >= c.NumHiddenLayers {
		return nil, errfmt.Errorf("bert: unexpected tensor %s", name)
	}
	switch rest {
	case "attention.self.query.weight", "attention.self.key.weight", "attention.self.value.weight", "attention.output.dense.weight":
		return []int{h, h}, nil
	case "intermediate.dense.weight":
		return []int{inter, h}, nil
	case "output.dense.weight":
		return []int{h, inter}, nil
	case "intermediate.dense.bias":
		return []int{inter}, nil
	case "attention.self.query.bias", "attention.self.key.bias", "attention.self.value.bias", "attention.output.dense.bias",
		"attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
		"output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias":
		return []int{h}, nil
	}
	return nil, errfmt.Errorf("bert: unexpected tensor %s", name)
}

// splitLayer splits "encoder.layer.N.rest" into N and rest.
func splitLayer(name string) (int, string, bool) {
	s, ok := strings.CutPrefix(name, "encoder.layer.")
	if !ok {
		return 0, "", false
	}
	num, rest, ok := strings.Cut(s, ".")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || strconv.Itoa(i) != num {
		return 0, "", false
	}
	return i, rest, true
}

func (b *Builder) layerOf(name string) (*layer, string) {
	i, rest, _ := splitLayer(name)
	return &b.m.layers[i], rest
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// addLinearPart files a weight or bias of a dense layer and builds the
// layer's Linear once all its parts are in.
func (b *Builder) addLinearPart(l *layer, name string, shape []int, d tensorData) error {
	prefix, role, _ := cutLast(name) // role is "weight" or "bias"
	parts, slot := 1, 0
	if base, proj, _ := cutLast(prefix); strings.HasSuffix(base, ".attention.self") {
		parts, slot = 3, slices.Index([]string{"query", "key", "value"}, proj)
		prefix = base
	}
	p := b.linear[prefix]
	if p == nil {
		p = &pendingLinear{}
		b.linear[prefix] = p
	}
	if role == "weight" {
		p.weights[slot] = &d
		p.in = shape[1]
	} else {
		p.biases[slot] = d.float32()
	}
	if p.got++; p.got < 2*parts {
		return nil
	}
	delete(b.linear, prefix)
	var opts []kernel.Option
	if strings.HasSuffix(prefix, "intermediate.dense") && b.m.act == actGELU {
		opts = append(opts, kernel.WithGELU())
		b.m.fusedGELU = true
	}
	lin := p.build(parts, opts...)
	switch {
	case parts == 3:
		l.qkv = lin
	case strings.HasSuffix(prefix, "attention.output.dense"):
		l.attnOut = lin
	case strings.HasSuffix(prefix, "intermediate.dense"):
		l.intermediate = lin
	default:
		l.output = lin
	}
	return nil
}

// build turns the first parts parts into one Linear whose rows are the
// parts' rows stacked. Parts that are all int8 stay one int8 Linear; int4
// ones, or int4 and int8 mixed, stay integer through kernel.Stack, each in
// its own precision (--dtype int4 stores the query and key int4, the value
// int8); with any other part they are all dequantized.
func (p *pendingLinear) build(parts int, opts ...kernel.Option) kernel.Linear {
	var bias []float32
	var ks []kernel.Part
	allInt8, integer := true, true
	for i, d := range p.weights[:parts] {
		bias = append(bias, p.biases[i]...)
		ks = append(ks, kernel.Part{Nibbles: d.nibbles, Q: d.q, Group: d.group, Scale: d.scale, Bias: p.biases[i], Rows: len(p.biases[i])})
		allInt8 = allInt8 && d.q != nil
		integer = integer && (d.q != nil || d.nibbles != nil)
	}
	out := len(bias)
	if allInt8 {
		var q []int8
		var scale []float32
		for i := 0; i < parts; i++ {
			q = append(q, p.weights[i].q...)
			scale = append(scale, p.weights[i].scale...)
		}
		return kernel.NewInt8(q, scale, bias, out, p.in, opts...)
	}
	if integer {
		return kernel.Stack(ks, p.in, opts...)
	}
	var w []float32
	for i := 0; i < parts; i++ {
		w = append(w, p.weights[i].float32()...)
	}
	return kernel.NewF32(w, bias, out, p.in, opts...)
}

// float32 returns the values as float32, dequantizing int8 and int4 rows.
func (d *tensorData) float32() []float32 {
	if d.nibbles != nil {
		return modelfile.DequantizeInt4(d.nibbles, d.scale, len(d.nibbles)/((d.cols+1)/2), d.cols, d.group)
	}
	if d.q == nil {
		return d.f32
	}
	rows := len(d.scale)
	cols := len(d.q) / rows
	v := make([]float32, len(d.q))
	for r := 0; r < rows; r++ {
		s := d.scale[r]
		for c, q := range d.q[r*cols : (r+1)*cols] {
			v[r*cols+c] = float32(q) * s
		}
	}
	return v
}

func product(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
