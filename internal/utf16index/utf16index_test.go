package utf16index

import (
	"testing"
	"unicode/utf16"
)

func TestAt(t *testing.T) {
	tests := []struct {
		name string
		text string
		// byte offset -> UTF-16 offset
		want map[int]int
	}{
		{"ascii", "hello world", map[int]int{0: 0, 5: 5, 11: 11}},
		{"emoji", "hi 👋🏽 there", map[int]int{3: 3, 7: 5, 11: 7, 12: 8, 17: 13}},
		{"cjk", "東京は晴れ", map[int]int{0: 0, 3: 1, 6: 2, 15: 5}},
		{"combining marks", "cafe\u0301 ok", map[int]int{4: 4, 6: 5, 7: 6, 9: 8}},
		{"inside a character rounds down", "é東", map[int]int{1: 0, 2: 1, 3: 1, 4: 1, 5: 2}},
		{"invalid byte", "a\xffb", map[int]int{1: 1, 2: 2, 3: 3}},
		{"empty", "", map[int]int{0: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(tt.text)
			for b, want := range tt.want {
				if got := c.At(b); got != want {
					t.Errorf("At(%d) = %d, want %d", b, got, want)
				}
			}
		})
	}
}

// TestAtMatchesUTF16Encode checks every character boundary, asked in
// increasing and then decreasing order, against utf16.Encode.
func TestAtMatchesUTF16Encode(t *testing.T) {
	text := "Zoë 🇫🇷 naïve Ελληνικά 中文字 a\u0308\u0301 𝄞 end"
	var bounds []int
	for b := range text {
		bounds = append(bounds, b)
	}
	bounds = append(bounds, len(text))
	want := func(b int) int { return len(utf16.Encode([]rune(text[:b]))) }
	c := New(text)
	for _, b := range bounds {
		if got := c.At(b); got != want(b) {
			t.Errorf("forward At(%d) = %d, want %d", b, got, want(b))
		}
	}
	for i := len(bounds) - 1; i >= 0; i-- {
		if got := c.At(bounds[i]); got != want(bounds[i]) {
			t.Errorf("backward At(%d) = %d, want %d", bounds[i], got, want(bounds[i]))
		}
	}
}
