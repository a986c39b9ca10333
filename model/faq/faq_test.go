package faq

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestReadTSV(t *testing.T) {
	f, err := os.Open("testdata/faq.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := ReadTSV(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 30 {
		t.Fatalf("%d entries, want 30", len(entries))
	}
	bad := []struct{ name, in, errHas string }{
		{"empty", "", "no entries"},
		{"comments only", "# nothing\n\n", "no entries"},
		{"no tab", "q\ta\nwhere is it\n", "line 2"},
		{"empty answer", "q\t \n", "line 1"},
	}
	for _, tt := range bad {
		if _, err := ReadTSV(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.errHas)
		}
	}
}

func TestMatchThreshold(t *testing.T) {
	entries := []Entry{{"a", "A"}, {"b", "B"}, {"c", "C"}}
	ix, err := NewIndex(entries, [][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q         []float32
		index     int
		matched   bool
		threshold float32
	}{
		{[]float32{0.1, 0.9, 0.1}, 1, true, 0.5},
		{[]float32{1, 1, 1}, 0, false, 0.9}, // equidistant: first entry, below threshold
		{[]float32{0, 0, -1}, 0, false, 0.1},
	}
	for _, tt := range tests {
		r, err := ix.Match(tt.q, tt.threshold)
		if err != nil {
			t.Fatal(err)
		}
		if r.Index != tt.index || r.Matched != tt.matched || r.Answer != entries[tt.index].Answer {
			t.Errorf("Match(%v) = %+v, want index %d matched %v", tt.q, r, tt.index, tt.matched)
		}
	}
	if _, err := ix.Match([]float32{1}, 0); err == nil {
		t.Error("query of the wrong dimension: no error")
	}
	if _, err := NewIndex(entries, nil); err == nil {
		t.Error("entries without vectors: no error")
	}
}

func TestDuplicatesAndNeighbours(t *testing.T) {
	v := [][]float32{{1, 0}, {0, 1}, {0.99, 0.1}, {0.1, 0.99}, {-1, 0}}
	pairs, err := Duplicates(v, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]int
	for _, p := range pairs {
		got = append(got, [2]int{p.I, p.J})
	}
	if want := [][2]int{{0, 2}, {1, 3}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("duplicates %v, want %v", got, want)
	}
	nb, err := Neighbours(v, 2)
	if err != nil {
		t.Fatal(err)
	}
	if nb[0][0].Index != 2 || nb[4][0].Index == 4 || len(nb[1]) != 2 {
		t.Fatalf("neighbours %+v", nb)
	}
	if _, err := Duplicates([][]float32{{1}, {1, 2}}, 0); err == nil {
		t.Error("ragged vectors: no error")
	}
}
