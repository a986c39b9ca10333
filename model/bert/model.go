package bert

import "github.com/wasmbert/wasmbert/model/kernel"

// Model is a loaded BERT encoder. It is read-only after construction, so
// any number of goroutines may run Forward on it, each with its own
// Workspace.
type Model struct {
	cfg Config
	act activation
	// fusedGELU is set when the intermediate Linear applies the exact GELU
	// itself (kernel.WithGELU), saving a pass over the [B·S, I] buffer.
	fusedGELU bool

	word, position, tokenType embeddingTable
	embGamma, embBeta         []float32

	layers []layer
}

// layer is one transformer block.
type layer struct {
	qkv                 kernel.Linear // [3H, H]: query, key, value rows in that order
	attnOut             kernel.Linear // [H, H]
	attnGamma, attnBeta []float32
	intermediate        kernel.Linear // [I, H]
	output              kernel.Linear // [H, I]
	outGamma, outBeta   []float32
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }
