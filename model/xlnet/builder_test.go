package xlnet

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBuilderRejects checks the model file tensors a Builder refuses, each
// with an error naming the tensor.
func TestBuilderRejects(t *testing.T) {
	cfg := tinyConfig()
	specs, weights, err := FileWeights(cfg, randomTensors(cfg, rand.New(rand.NewPCG(3, 4))))
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 1+tensorsPerLayer*cfg.NLayer {
		t.Fatalf("%d tensors, tensorsPerLayer says %d", len(specs), 1+tensorsPerLayer*cfg.NLayer)
	}
	addAll := func(b *Builder, skip string) error {
		for _, s := range specs {
			if s.Name == skip {
				continue
			}
			if err := b.add(s.Name, s.Shape, &weight{f32: weights[s.Name]}); err != nil {
				return err
			}
		}
		return nil
	}
	b, _ := NewBuilder(cfg)
	if err := addAll(b, "layer.1.ff.layer_2.bias"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Done(); err == nil || !strings.Contains(err.Error(), "34 of the 35 tensors") {
		t.Errorf("Done with a tensor missing: %v", err)
	}
	for _, tc := range []struct {
		name  string
		shape []int
		want  string
	}{
		{"layer.2.rel_attn.q.weight", []int{15, 10}, "unexpected tensor layer.2.rel_attn.q.weight"},
		{"layer.01.rel_attn.q.weight", []int{15, 10}, "unexpected tensor layer.01"},
		{"layer.0.rel_attn.q", []int{10, 3, 5}, "unexpected tensor layer.0.rel_attn.q"},
		{"layer.0.rel_attn.o.weight", []int{15, 10}, "shape [15 10], config wants [10 15]"},
		{"layer.0.ff.layer_1.bias", []int{7}, "given twice"},
	} {
		b, _ := NewBuilder(cfg)
		if err := addAll(b, ""); err != nil {
			t.Fatal(err)
		}
		if err := b.add(tc.name, tc.shape, &weight{f32: make([]float32, product(tc.shape))}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("add %s %v: %v, want an error with %q", tc.name, tc.shape, err, tc.want)
		}
	}
}
