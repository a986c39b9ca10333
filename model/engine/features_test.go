package engine

import (
	"strings"
	"testing"
)

func TestSentenceOptions(t *testing.T) {
	f := false
	tests := []struct {
		features map[string]string
		want     EmbedOptions
		errHas   string
	}{
		{nil, EmbedOptions{}, ""},
		{map[string]string{"input": "sentence", "pooling": "mean", "layer": "-1"}, EmbedOptions{Pooling: "mean", Layer: "-1"}, ""},
		{map[string]string{"input": "sentence", "pooling": "cls", "layer": "-1", "normalize": "false"}, EmbedOptions{Pooling: "cls", Layer: "-1", Normalize: &f}, ""},
		{map[string]string{"input": "words"}, EmbedOptions{}, `head takes "words" vectors`},
		{map[string]string{"normalize": "no"}, EmbedOptions{}, `normalize="no"`},
		{map[string]string{"chunk": "128/16"}, EmbedOptions{}, "only input, pooling, layer and normalize"},
	}
	for _, tt := range tests {
		got, err := SentenceOptions(tt.features)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("SentenceOptions(%v): err = %v, want it to contain %q", tt.features, err, tt.errHas)
			}
			continue
		}
		if err != nil {
			t.Fatalf("SentenceOptions(%v): %v", tt.features, err)
		}
		if got.Pooling != tt.want.Pooling || got.Layer != tt.want.Layer || (got.Normalize == nil) != (tt.want.Normalize == nil) ||
			(got.Normalize != nil && *got.Normalize != *tt.want.Normalize) {
			t.Errorf("SentenceOptions(%v) = %+v, want %+v", tt.features, got, tt.want)
		}
	}
}
