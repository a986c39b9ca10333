package pooling

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func near(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > tol {
			return false
		}
	}
	return true
}

func TestPool(t *testing.T) {
	// 3 tokens × 2 dims, the last one padding.
	hidden := []float32{1, -2, 3, 4, 100, 100}
	mask := []int32{1, 1, 0}
	tests := []struct {
		mode Mode
		mask []int32
		want []float32
	}{
		{Mean, mask, []float32{2, 1}},
		{Mean, nil, []float32{104.0 / 3, 102.0 / 3}},
		{CLS, mask, []float32{1, -2}},
		{Max, mask, []float32{3, 4}},
		{Max, nil, []float32{100, 100}},
		{LastToken, mask, []float32{3, 4}},
		{LastToken, nil, []float32{100, 100}},
		// XLNet pads on the left: the last token is real.
		{LastToken, []int32{0, 1, 1}, []float32{100, 100}},
	}
	for _, tt := range tests {
		dst := make([]float32, 2)
		if err := Pool(dst, tt.mode, hidden, tt.mask, 3, 2); err != nil {
			t.Fatal(err)
		}
		if !near(dst, tt.want, 1e-6) {
			t.Errorf("%s mask=%v: got %v, want %v", tt.mode, tt.mask, dst, tt.want)
		}
	}
}

func TestPoolErrors(t *testing.T) {
	dst := make([]float32, 2)
	if err := Pool(dst, Mean, []float32{1, 2}, []int32{0}, 1, 2); err == nil {
		t.Error("mean of all-masked tokens: no error")
	}
	if err := Pool(dst, Max, []float32{1, 2}, []int32{0}, 1, 2); err == nil {
		t.Error("max of all-masked tokens: no error")
	}
	if err := Pool(dst, LastToken, []float32{1, 2}, []int32{0}, 1, 2); err == nil {
		t.Error("last token of all-masked tokens: no error")
	}
	if err := Pool(dst, "sum", []float32{1, 2}, nil, 1, 2); err == nil {
		t.Error("unknown mode: no error")
	}
	if err := Pool(dst, Mean, []float32{1}, nil, 1, 2); err == nil {
		t.Error("short hidden: no error")
	}
	if _, err := ParseMode("avg"); err == nil {
		t.Error("ParseMode(avg): no error")
	}
}

func TestNormalize(t *testing.T) {
	v := []float32{3, 4}
	Normalize(v)
	if !near(v, []float32{0.6, 0.8}, 1e-7) {
		t.Errorf("got %v", v)
	}
	z := []float32{0, 0}
	Normalize(z)
	if !near(z, []float32{0, 0}, 0) {
		t.Errorf("zero vector became %v", z)
	}
}

func TestLayerSelect(t *testing.T) {
	// 3 hidden states (embeddings + 2 layers), 2 tokens × 2 dims.
	all := [][]float32{{0, 0, 0, 0}, {1, 2, 3, 4}, {10, 20, 30, 40}}
	tests := []struct {
		spec string
		want []float32
		dim  int
	}{
		{"", []float32{10, 20, 30, 40}, 2},
		{"-1", []float32{10, 20, 30, 40}, 2},
		{"2", []float32{10, 20, 30, 40}, 2},
		{"1", []float32{1, 2, 3, 4}, 2},
		{"-3", []float32{0, 0, 0, 0}, 2},
		{"sum:2", []float32{11, 22, 33, 44}, 2},
		{"mean:2", []float32{5.5, 11, 16.5, 22}, 2},
		{"concat:2", []float32{1, 2, 10, 20, 3, 4, 30, 40}, 4},
	}
	for _, tt := range tests {
		s, err := ParseLayer(tt.spec)
		if err != nil {
			t.Fatalf("%q: %v", tt.spec, err)
		}
		got, err := s.Select(all, 2, 2)
		if err != nil {
			t.Fatalf("%q: %v", tt.spec, err)
		}
		if !near(got, tt.want, 1e-6) || s.Dim(2) != tt.dim {
			t.Errorf("%q: got %v dim %d, want %v dim %d", tt.spec, got, s.Dim(2), tt.want, tt.dim)
		}
	}
	if s, _ := ParseLayer("-1"); !s.IsLast(2) {
		t.Error("-1 is not the last layer")
	}
	if s, _ := ParseLayer("1"); s.IsLast(2) {
		t.Error("1 of 2 is the last layer")
	}
}

func TestLayerErrors(t *testing.T) {
	for _, spec := range []string{"x", "sum:0", "sum:x", "max:2", "1.5"} {
		if _, err := ParseLayer(spec); err == nil {
			t.Errorf("ParseLayer(%q): no error", spec)
		}
	}
	all := [][]float32{{1}, {2}}
	for _, spec := range []string{"2", "-3", "sum:3", "concat:3"} {
		s, err := ParseLayer(spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Select(all, 1, 1); err == nil || !strings.Contains(err.Error(), "hidden states") {
			t.Errorf("Select(%q): error %v", spec, err)
		}
	}
}

func TestWords(t *testing.T) {
	// [CLS] play ##ing ball [SEP] with dim 1.
	hidden := []float32{9, 1, 3, 5, 9}
	ids := []int{-1, 0, 0, 1, -1}
	tests := []struct {
		agg  WordAgg
		want [][]float32
	}{
		{First, [][]float32{{1}, {5}}},
		{MeanAgg, [][]float32{{2}, {5}}},
	}
	for _, tt := range tests {
		words, err := Words(hidden, ids, 1, tt.agg)
		if err != nil {
			t.Fatal(err)
		}
		if len(words) != 2 || !slices.Equal(words[0].Tokens, []int{1, 2}) {
			t.Fatalf("%s: words %+v", tt.agg, words)
		}
		for i, w := range words {
			if !near(w.Vector, tt.want[i], 1e-7) {
				t.Errorf("%s word %d: %v, want %v", tt.agg, i, w.Vector, tt.want[i])
			}
		}
	}
	if _, err := Words(hidden, ids, 1, "last"); err == nil {
		t.Error("unknown aggregation: no error")
	}
}
