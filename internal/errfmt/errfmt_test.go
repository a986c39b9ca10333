package errfmt

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

type name string

func (n name) String() string { return "name:" + string(n) }

// The supported verbs must print what fmt prints.
func TestSprintfMatchesFmt(t *testing.T) {
	tests := []struct {
		format string
		args   []any
	}{
		{"plain", nil},
		{"100%% done", nil},
		{"%d %d %d %d %d", []any{-3, int8(-8), int16(300), int32(-1 << 31), int64(1 << 62)}},
		{"%d %d %d %d %d", []any{uint(7), uint8(255), uint16(65535), uint32(1 << 31), uint64(1<<64 - 1)}},
		{"%v", []any{uint(1<<64 - 1)}},
		{"tensor %s: size %d", []any{"embeddings.word_embeddings.weight", 11720448}},
		{"%q and %q", []any{"tab\there", "ünï\x00"}},
		{"%q", []any{'é'}},
		{"%q", []any{byte('{')}},
		{"%g %g %v %v", []any{1e-12, 0.1, float32(0.1), 3.0}},
		{"%v %v", []any{true, false}},
		{"shape %v, want %v", []any{[]int{30522, 384}, []int64{}}},
		{"%v", []any{[]string{"a", "b c"}}},
		{"%s / %v", []any{io.EOF, errors.New("boom")}},
		{"%s %v", []any{name("x"), name("y")}},
		{"%v", []any{nil}},
		{"trailing %", nil},
	}
	for _, tt := range tests {
		got, want := Sprintf(tt.format, tt.args...), fmt.Sprintf(tt.format, tt.args...)
		if got != want {
			t.Errorf("Sprintf(%q, %v) = %q, fmt says %q", tt.format, tt.args, got, want)
		}
	}
}

func TestErrorfWraps(t *testing.T) {
	base := errors.New("base")
	err := Errorf("load %s: %w", "model.wbm", base)
	if got, want := err.Error(), fmt.Errorf("load %s: %w", "model.wbm", base).Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, base) {
		t.Errorf("errors.Is(%v, base) = false", err)
	}
	if errors.Unwrap(Errorf("no wrap %v", base)) != nil {
		t.Errorf("%%v must not wrap")
	}
	two := Errorf("%w and %w", base, io.EOF)
	if !errors.Is(two, base) || !errors.Is(two, io.EOF) {
		t.Errorf("two %%w: errors.Is fails for one of them: %v", two)
	}
	if got := Errorf("%w", nil).Error(); got != "<nil>" {
		t.Errorf("%%w of nil = %q", got)
	}
}

// What fmt would print with a type this package cannot format without
// reflection is not reproduced; the message must still show the mistake.
func TestUnsupportedIsVisible(t *testing.T) {
	tests := []struct {
		format string
		args   []any
		want   string
	}{
		{"%x", []any{255}, "%!x(?)"},
		{"%d", []any{"s"}, "%!d(?)"},
		{"%v", []any{struct{}{}}, "%!v(?)"},
		{"%d %d", []any{1}, "1 %!d(MISSING)"},
		{"%d", []any{1, 2}, "1%!(EXTRA)"},
	}
	for _, tt := range tests {
		if got := Sprintf(tt.format, tt.args...); got != tt.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
}
