package engine

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// repeatsContext reports whether msg says the same context twice in a row,
// as "load model: load model: ..." did when two layers both added it.
func repeatsContext(msg string) bool {
	parts := strings.Split(msg, ": ")
	for i := 1; i < len(parts); i++ {
		if parts[i] == parts[i-1] {
			return true
		}
	}
	return false
}

// TestErrorMessages pins the messages of the common failures: each layer
// adds its context once, and the callers above (the wasm bridge, the CLI,
// the edge worker) add only theirs.
func TestErrorMessages(t *testing.T) {
	path := tinyFile(t, modelfile.F32)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := slices.Clone(raw)
	flipped[len(flipped)-3] ^= 0xff
	e, err := Load(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	load := func(b []byte) func() error {
		return func() error { _, err := Load(strings.NewReader(string(b))); return err }
	}
	embed := func(o EmbedOptions) func() error {
		return func() error { _, err := e.Embed([]string{"a"}, o); return err }
	}
	missing := filepath.Join(t.TempDir(), "missing.wbm")
	tests := []struct {
		name string
		err  func() error
		want string // regexp of the whole message
	}{
		{"checksum", load(flipped), `^load model: checksum mismatch: tensor [\w.]+: crc32c \d+, header says \d+$`},
		{"truncated", load(raw[:len(raw)-1]), `^load model: model file truncated: tensor [\w.]+ \(\d+ bytes\): (got \d+ bytes: )?unexpected EOF$`},
		{"empty", load(nil), `^load model: model file truncated: 24-byte preamble incomplete$`},
		{"missing file", func() error { _, err := LoadFile(missing); return err }, `^load model: open .*missing\.wbm: no such file or directory$`},
		{"layer", embed(EmbedOptions{Layer: "99"}), `^embed: layer 99 out of range for \d+ hidden states \(0\.\.\d+ or -\d+\.\.-1\)$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !regexp.MustCompile(tt.want).MatchString(msg) {
				t.Errorf("message\n\t%s\ndoes not match\n\t%s", msg, tt.want)
			}
			if repeatsContext(msg) {
				t.Errorf("message repeats a context: %s", msg)
			}
		})
	}
}
