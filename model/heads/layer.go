package heads

import (
	"fmt"
	"math"
)

// Activation names the non-linearity applied after a layer's affine map.
type Activation string

const (
	Identity Activation = ""
	ReLU     Activation = "relu"
	// Tanh is what the HF BERT pooler uses.
	Tanh Activation = "tanh"
)

// Layer is one dense layer y = act(W·x + b) with W row-major [Out, In].
type Layer struct {
	In         int        `json:"in"`
	Out        int        `json:"out"`
	Activation Activation `json:"activation,omitempty"`
	Weight     []float32  `json:"weight"`
	Bias       []float32  `json:"bias"`
}

func (l *Layer) validate() error {
	if l.In <= 0 || l.Out <= 0 {
		return fmt.Errorf("layer shape [%d,%d] must be positive", l.Out, l.In)
	}
	if len(l.Weight) != l.In*l.Out {
		return fmt.Errorf("layer weight has %d values, want %d×%d", len(l.Weight), l.Out, l.In)
	}
	if len(l.Bias) != l.Out {
		return fmt.Errorf("layer bias has %d values, want %d", len(l.Bias), l.Out)
	}
	switch l.Activation {
	case Identity, ReLU, Tanh:
	default:
		return fmt.Errorf("unknown activation %q", l.Activation)
	}
	return nil
}

func (l *Layer) forward(y, x []float32) {
	for o := range l.Out {
		w := l.Weight[o*l.In : (o+1)*l.In]
		s := l.Bias[o]
		for k, v := range w {
			s += v * x[k]
		}
		switch l.Activation {
		case ReLU:
			s = max(s, 0)
		case Tanh:
			s = float32(math.Tanh(float64(s)))
		}
		y[o] = s
	}
}

// network is a stack of layers whose last layer produces logits.
type network []Layer

func (n network) validate(outputs int) error {
	if len(n) == 0 {
		return fmt.Errorf("head has no layers")
	}
	for i := range n {
		if err := n[i].validate(); err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
		if i > 0 && n[i].In != n[i-1].Out {
			return fmt.Errorf("layer %d takes %d inputs but layer %d gives %d", i, n[i].In, i-1, n[i-1].Out)
		}
	}
	if last := n[len(n)-1]; last.Out != outputs {
		return fmt.Errorf("head gives %d outputs for %d labels", last.Out, outputs)
	}
	return nil
}

func (n network) inputs() int { return n[0].In }

// logits applies the network to one feature vector.
func (n network) logits(x []float32) ([]float32, error) {
	if len(x) != n.inputs() {
		return nil, fmt.Errorf("feature has %d dimensions, head expects %d", len(x), n.inputs())
	}
	for i := range n {
		y := make([]float32, n[i].Out)
		n[i].forward(y, x)
		x = y
	}
	return x, nil
}

// softmax turns logits into probabilities in place.
func softmax(x []float32) {
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	var sum float64
	for i, v := range x {
		e := math.Exp(float64(v - m))
		x[i] = float32(e)
		sum += e
	}
	for i := range x {
		x[i] = float32(float64(x[i]) / sum)
	}
}

func argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
