//go:build !(js && wasm)

package engine

import (
	"os"

	"github.com/wasmbert/wasmbert/internal/errfmt"
)

// LoadFile loads the model file at path. It is not built for js/wasm: the
// browser engine has no files, and os would add about 80 kB to its binary.
func LoadFile(path string) (*Engine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errfmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	e, err := Load(f)
	if err != nil {
		return nil, errfmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}
