package bert

import (
	"math"

	"github.com/wasmbert/wasmbert/internal/errfmt"
	"github.com/wasmbert/wasmbert/model/kernel"
)

// activation is the intermediate layer's nonlinearity, applied in place.
type activation int

const (
	actGELU     activation = iota // exact erf form, HF "gelu"
	actGELUTanh                   // tanh approximation, HF "gelu_new" / "gelu_pytorch_tanh"
	actReLU
)

func parseActivation(name string) (activation, error) {
	switch name {
	case "gelu", "":
		return actGELU, nil
	case "gelu_new", "gelu_pytorch_tanh", "gelu_fast":
		return actGELUTanh, nil
	case "relu":
		return actReLU, nil
	}
	return 0, errfmt.Errorf("unsupported hidden_act %q", name)
}

func (a activation) apply(x []float32) {
	switch a {
	case actGELU:
		kernel.GELU(x)
	case actGELUTanh:
		geluTanh(x)
	case actReLU:
		for i, v := range x {
			x[i] = max(v, 0)
		}
	}
}

// geluTanh is 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), HF's NewGELUActivation.
func geluTanh(x []float32) {
	const c = 0.7978845608028654 // √(2/π)
	for i, v := range x {
		f := float64(v)
		x[i] = float32(0.5 * f * (1 + math.Tanh(c*(f+0.044715*f*f*f))))
	}
}
