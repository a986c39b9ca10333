package heads

import (
	"errors"
	"fmt"
	"math"
	mathrand "math/rand/v2"
	"slices"

	"github.com/nlpodyssey/spago/ag"
	"github.com/nlpodyssey/spago/initializers"
	"github.com/nlpodyssey/spago/mat"
	"github.com/nlpodyssey/spago/mat/rand"
	"github.com/nlpodyssey/spago/nn"
	"github.com/nlpodyssey/spago/optimizers/adam"
)

// TrainOptions configures TrainClassifier and TrainTagger. Zero fields take
// the defaults listed on each field.
type TrainOptions struct {
	Hidden       int     // units of one ReLU hidden layer; 0 trains softmax (logistic) regression
	Epochs       int     // passes over the data; default 40
	BatchSize    int     // examples per Adam step; default 32
	LearningRate float64 // Adam step size; default 0.01
	WeightDecay  float64 // AdamW decoupled weight decay; default 1e-4, negative disables it
	Seed         uint64  // initialization and shuffling; equal seeds give equal heads

	// Progress, if set, is called after each epoch with the epochs done and
	// the total, on the training goroutine: a UI shows how far a long
	// training got. It does not change the result.
	Progress func(done, total int)
}

func (o TrainOptions) withDefaults() (TrainOptions, error) {
	if o.Hidden < 0 || o.Epochs < 0 || o.BatchSize < 0 || o.LearningRate < 0 {
		return o, fmt.Errorf("train options must not be negative: %+v", o)
	}
	if o.Epochs == 0 {
		o.Epochs = 40
	}
	if o.BatchSize == 0 {
		o.BatchSize = 32
	}
	if o.LearningRate == 0 {
		o.LearningRate = 0.01
	}
	switch {
	case o.WeightDecay == 0:
		o.WeightDecay = 1e-4
	case o.WeightDecay < 0:
		o.WeightDecay = 0
	}
	return o, nil
}

var errNoExamples = errors.New("empty training set")

// trainable is the spago form of a network during training.
type trainable struct {
	W    []*nn.Param // [out, in]
	B    []*nn.Param // [out, 1]
	acts []Activation
}

// fit trains a network mapping x[i] to class y[i] by minimizing the mean
// softmax cross-entropy with mini-batch AdamW.
func fit(x [][]float32, y []int, classes int, o TrainOptions) (network, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(x) == 0 {
		return nil, errNoExamples
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("%d feature vectors but %d labels", len(x), len(y))
	}
	in := len(x[0])
	if in == 0 {
		return nil, fmt.Errorf("feature vectors are empty")
	}
	for i, v := range x {
		if len(v) != in {
			return nil, fmt.Errorf("feature %d has %d dimensions, feature 0 has %d", i, len(v), in)
		}
		for _, f := range v {
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return nil, fmt.Errorf("feature %d is not finite", i)
			}
		}
	}

	m := newTrainable(in, o.Hidden, classes, o.Seed)
	cfg := adam.NewAdamWConfig(o.LearningRate, 0.9, 0.999, 1e-8, o.WeightDecay)
	strategy := adam.New(cfg)

	rng := mathrand.New(mathrand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	for epoch := range o.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for start := 0; start < len(order); start += o.BatchSize {
			batch := order[start:min(start+o.BatchSize, len(order))]
			loss := m.loss(x, y, batch, classes)
			if err := ag.Backward(loss); err != nil {
				return nil, fmt.Errorf("backward: %w", err)
			}
			if err := m.step(strategy); err != nil {
				return nil, err
			}
			strategy.IncExample()
		}
		if o.Progress != nil {
			o.Progress(epoch+1, o.Epochs)
		}
	}
	return m.network(), nil
}

func newTrainable(in, hidden, classes int, seed uint64) *trainable {
	dims := []int{in, classes}
	acts := []Activation{Identity}
	if hidden > 0 {
		dims = []int{in, hidden, classes}
		acts = []Activation{ReLU, Identity}
	}
	gen := rand.NewLockedRand(seed)
	m := &trainable{acts: acts}
	for i := range acts {
		w := mat.NewDense[float32](mat.WithShape(dims[i+1], dims[i]))
		initializers.XavierUniform(w, 1, gen)
		m.W = append(m.W, nn.NewParam(w))
		m.B = append(m.B, nn.NewParam(mat.NewDense[float32](mat.WithShape(dims[i+1], 1))))
	}
	return m
}

// forward returns the logits [classes, len(batch)] of the batch, one column
// per example: whole-batch matrix ops keep the graph small and make each
// gradient a sum of at most two terms, so training stays deterministic
// although spago runs the backward pass concurrently.
func (m *trainable) forward(x [][]float32, batch []int) mat.Tensor {
	in := len(x[0])
	n := len(batch)
	cols := make([]float32, in*n)
	for j, e := range batch {
		for k, v := range x[e] {
			cols[k*n+j] = v
		}
	}
	var h mat.Tensor = mat.NewDense[float32](mat.WithShape(in, n), mat.WithBacking(cols))
	ones := mat.NewDense[float32](mat.WithShape(1, n), mat.WithBacking(filled(n, 1)))
	for i := range m.W {
		h = ag.Add(ag.Mul(m.W[i], h), ag.Mul(m.B[i], ones))
		switch m.acts[i] {
		case ReLU:
			h = ag.ReLU(h)
		case Tanh:
			h = ag.Tanh(h)
		}
	}
	return h
}

// loss is the mean cross-entropy of the batch.
func (m *trainable) loss(x [][]float32, y []int, batch []int, classes int) mat.Tensor {
	z := m.forward(x, batch)
	n := len(batch)
	zv := mat.Data[float32](z.Value())
	// Shifting each column by its max is exact for log-sum-exp and keeps
	// exp from overflowing; the shift is a constant so it has no gradient.
	shift := make([]float32, classes*n)
	onehot := make([]float32, classes*n)
	for j, e := range batch {
		mx := zv[j]
		for c := 1; c < classes; c++ {
			mx = max(mx, zv[c*n+j])
		}
		for c := range classes {
			shift[c*n+j] = mx
		}
		onehot[y[e]*n+j] = 1
	}
	s := ag.Sub(z, mat.NewDense[float32](mat.WithShape(classes, n), mat.WithBacking(shift)))
	// Sums are products with ones vectors: spago's ReduceSum flattens the
	// gradient of a matrix, which the element-wise ops before it reject.
	sumClasses := mat.NewDense[float32](mat.WithShape(1, classes), mat.WithBacking(filled(classes, 1)))
	sumBatch := mat.NewDense[float32](mat.WithShape(n, 1), mat.WithBacking(filled(n, 1)))
	logZ := ag.Log(ag.Mul(sumClasses, ag.Exp(s)))
	gold := ag.Mul(sumClasses, ag.Prod(mat.NewDense[float32](mat.WithShape(classes, n), mat.WithBacking(onehot)), s))
	return ag.DivScalar(ag.Mul(ag.Sub(logZ, gold), sumBatch), mat.Scalar(float32(n)))
}

// step applies one Adam update to every parameter. It does not use
// optimizers.Optimizer: in spago v1.1.0 its Optimize returns before its
// per-parameter goroutines finish, which races with the next step.
func (m *trainable) step(strategy *adam.Adam) error {
	for _, p := range append(slices.Clone(m.W), m.B...) {
		if !p.HasGrad() {
			continue
		}
		if err := strategy.OptimizeParams(p); err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
	}
	return nil
}

func (m *trainable) network() network {
	net := make(network, len(m.W))
	for i, w := range m.W {
		shape := w.Shape()
		net[i] = Layer{
			In:         shape[1],
			Out:        shape[0],
			Activation: m.acts[i],
			Weight:     append([]float32(nil), mat.Data[float32](w.Value())...),
			Bias:       append([]float32(nil), mat.Data[float32](m.B[i].Value())...),
		}
	}
	return net
}

func filled(n int, v float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = v
	}
	return s
}
