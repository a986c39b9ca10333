package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestErrorMessages pins what the CLI says for common failures: the command, then the
// engine's own context, each once.
func TestErrorMessages(t *testing.T) {
	model, _ := tinySetup(t)
	tests := []struct {
		name string
		args []string
		want string // regexp of the whole message
	}{
		{"layer out of range", []string{"embed", "-m", model, "--layer", "9"}, `^embed: layer 9 out of range for \d+ hidden states \(0\.\.\d+ or -\d+\.\.-1\)$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, strings.NewReader("hello\n"), &bytes.Buffer{})
			if err == nil {
				t.Fatal("no error")
			}
			if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("message\n\t%s\ndoes not match\n\t%s", err, tt.want)
			}
		})
	}
}
