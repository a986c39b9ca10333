package bert

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/modelwriter"
)

// failingPart is a part's Exchange that fails at its failAt-th AllGather
// (counted from 1), aborting the exchange as a dying worker would.
type failingPart struct {
	Exchange
	ex     *LocalExchange
	failAt int
	calls  int
}

var errPartGone = errors.New("a part is gone")

func (f *failingPart) AllGather(buf []float32, width, lo, hi int) error {
	f.calls++
	if f.calls == f.failAt {
		f.ex.Abort()
		return errPartGone
	}
	return f.Exchange.AllGather(buf, width, lo, hi)
}

// splitForward runs in over k parts and returns every part's Output (copied,
// since each lives in its part's Workspace) or the first error.
// Part 0 fails at its failAt-th gather unless failAt is 0.
func splitForward(m *Model, in Input, k, failAt int) ([]Output, error) {
	ex := NewLocalExchange(k)
	outs := make([]Output, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ws Workspace
			part := ex.Part()
			if i == 0 && failAt > 0 {
				part = &failingPart{Exchange: part, ex: ex, failAt: failAt}
			}
			o, err := m.ForwardPart(&ws, in, Part{Index: i, Count: k}, part)
			if err != nil {
				errs[i] = err
				return
			}
			outs[i].Last = append([]float32(nil), o.Last...)
			for _, a := range o.All {
				outs[i].All = append(outs[i].All, append([]float32(nil), a...))
			}
		}()
	}
	wg.Wait()
	return outs, errors.Join(errs...)
}

func int8ModelFile(t *testing.T, cfg Config, w map[string][]float32) *Model {
	t.Helper()
	return buildModel(t, cfg, quantizedTensors(t, cfg, w, 0, int8Matrix))
}

// int4ModelFile is int8ModelFile with --dtype int4's recipe, int4Matrix.
func int4ModelFile(t *testing.T, cfg Config, w map[string][]float32) *Model {
	t.Helper()
	return buildModel(t, cfg, quantizedTensors(t, cfg, w, 16, int4Matrix))
}

func int8Matrix(string) modelfile.DType { return modelfile.I8 }

// int4Matrix is --dtype int4's choice: encoder matrices i4, the attention
// value and output projections i8.
func int4Matrix(name string) modelfile.DType {
	if strings.HasSuffix(name, ".attention.self.value.weight") || strings.HasSuffix(name, ".attention.output.dense.weight") {
		return modelfile.I8
	}
	return modelfile.I4
}

// quantizedTensors writes w as a model file whose encoder matrices have the
// dtype matrix gives (i4 ones in groups of group), the rest f32, and reads
// its tensors back.
func quantizedTensors(t *testing.T, cfg Config, w map[string][]float32, group int, matrix func(string) modelfile.DType) []*modelfile.Tensor {
	t.Helper()
	h := &modelfile.Header{Model: modelfile.BertConfig(cfg), Pooling: modelfile.PoolingConfig{Mode: "mean"}}
	for _, name := range TensorNames(cfg) {
		shape, err := (&Builder{cfg: cfg}).shapeOf(name)
		if err != nil {
			t.Fatal(err)
		}
		h.Tensors = append(h.Tensors, modelfile.TensorInfo{Name: name, Shape: shape, GroupSize: group})
	}
	dtypes := func(name string) modelfile.DType {
		if strings.HasPrefix(name, "encoder.") && strings.HasSuffix(name, ".weight") && !strings.Contains(name, "LayerNorm") {
			return matrix(name)
		}
		return modelfile.F32
	}
	var buf bytes.Buffer
	if err := modelwriter.Write(&buf, h, w, dtypes); err != nil {
		t.Fatal(err)
	}
	_, tensors, err := modelfile.ReadAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return tensors
}

func buildModel(t *testing.T, cfg Config, tensors []*modelfile.Tensor) *Model {
	t.Helper()
	b, err := NewBuilder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, tensor := range tensors {
		if err := b.Add(tensor); err != nil {
			t.Fatal(err)
		}
	}
	m, err := b.Done()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestForwardPartMatchesForward splits sequences of odd lengths over 2 and
// 3 parts (and more parts than tokens) and compares every hidden state
// with the one-piece forward: within 1e-6 with f32 weights, identical with
// int8 ones.
func TestForwardPartMatchesForward(t *testing.T) {
	cfg, w, _ := loadTiny(t)
	f32, err := New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	minilm := Config{VocabSize: 300, HiddenSize: 384, NumHiddenLayers: 2, NumAttentionHeads: 12, IntermediateSize: 1536, MaxPositionEmbeddings: 128, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenAct: "gelu"}
	wm := randomWeights(minilm, rand.New(rand.NewPCG(7, 14)))
	mf32, err := New(minilm, wm)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		m       *Model
		tol     float64
		lengths []int
		parts   []int
	}{
		{"tiny f32", f32, 1e-6, []int{1, 2, 5, 13, 31}, []int{2, 3}},
		{"tiny int8", int8ModelFile(t, cfg, w), 0, []int{1, 7, 13, 31}, []int{2, 3}},
		{"minilm shape f32", mf32, 1e-6, []int{9, 37, 101}, []int{2, 3}},
		{"minilm shape int8", int8ModelFile(t, minilm, wm), 0, []int{37, 101}, []int{2, 3, 4}},
		{"minilm shape int4", int4ModelFile(t, minilm, wm), 0, []int{37, 101}, []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.m.Config()
			rng := rand.New(rand.NewPCG(3, uint64(len(tt.name))))
			var ws Workspace
			for _, s := range tt.lengths {
				ids, types := make([]int32, s), make([]int32, s)
				for j := range ids {
					ids[j] = int32(rng.IntN(c.VocabSize))
					types[j] = int32(rng.IntN(c.TypeVocabSize))
				}
				for _, all := range []bool{false, true} {
					in := Input{IDs: ids, TypeIDs: types, Batch: 1, SeqLen: s, AllHidden: all}
					want, err := tt.m.Forward(&ws, in)
					if err != nil {
						t.Fatal(err)
					}
					for _, k := range tt.parts {
						outs, err := splitForward(tt.m, in, k, 0)
						if err != nil {
							t.Fatalf("%d tokens, %d parts: %v", s, k, err)
						}
						for p, o := range outs {
							if d := maxAbsDiff(o.Last, want.Last); d > tt.tol {
								t.Errorf("%d tokens, all hidden %v, part %d of %d: last state differs by %g", s, all, p, k, d)
							}
							for l := range want.All {
								if d := maxAbsDiff(o.All[l], want.All[l]); d > tt.tol {
									t.Errorf("%d tokens, part %d of %d: hidden state %d differs by %g", s, p, k, l, d)
								}
							}
						}
					}
				}
			}
		})
	}
}

// TestForwardPartFailure makes one part fail mid-forward: every part must
// return an error (none may wait forever for it).
func TestForwardPartFailure(t *testing.T) {
	cfg, w, _ := loadTiny(t)
	m, err := New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int32, 11)
	for _, at := range []int{1, 2, cfg.NumHiddenLayers + 1} {
		_, err := splitForward(m, Input{IDs: ids, Batch: 1, SeqLen: len(ids)}, 3, at)
		if !errors.Is(err, errPartGone) || !errors.Is(err, ErrExchangeAborted) {
			t.Errorf("failure at gather %d: got %v", at, err)
		}
	}
}

func TestForwardPartRejectsBadInput(t *testing.T) {
	cfg, w, _ := loadTiny(t)
	m, err := New(cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	var ws Workspace
	tests := []struct {
		name string
		in   Input
		p    Part
	}{
		{"two sequences", Input{IDs: make([]int32, 4), Batch: 2, SeqLen: 2}, Part{0, 2}},
		{"index past count", Input{IDs: make([]int32, 4), Batch: 1, SeqLen: 4}, Part{2, 2}},
		{"no parts", Input{IDs: make([]int32, 4), Batch: 1, SeqLen: 4}, Part{0, 0}},
		{"bad ids", Input{IDs: make([]int32, 3), Batch: 1, SeqLen: 4}, Part{0, 1}},
	}
	for _, tt := range tests {
		if _, err := m.ForwardPart(&ws, tt.in, tt.p, NewLocalExchange(1).Part()); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

// TestPartRows checks that the parts' shares tile the sequence in order,
// start on whole row blocks and differ by at most one block.
func TestPartRows(t *testing.T) {
	for s := 1; s <= 70; s++ {
		for k := 1; k <= 8; k++ {
			next, least, most := 0, s, 0
			for i := range k {
				lo, hi := Part{Index: i, Count: k}.Rows(s)
				if lo != next || hi < lo || lo%rowBlock != 0 {
					t.Fatalf("%d tokens, part %d of %d: rows [%d, %d) after %d", s, i, k, lo, hi, next)
				}
				next = hi
				if hi < s {
					least, most = min(least, hi-lo), max(most, hi-lo)
				}
			}
			if next != s {
				t.Fatalf("%d tokens, %d parts: rows end at %d", s, k, next)
			}
			if most > 0 && most-least > rowBlock {
				t.Errorf("%d tokens, %d parts: shares of %d to %d rows", s, k, least, most)
			}
		}
	}
}
