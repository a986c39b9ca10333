package checkpoint

import (
	"bufio"
	"os"

	"github.com/wasmbert/wasmbert/internal/safetensors"
)

// readSafetensors reads every float tensor of a .safetensors file as
// float32; integer buffers such as position_ids are skipped.
func readSafetensors(path string) (map[string]Weight, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	keep := func(name, dtype string) bool { return safetensors.Float(dtype) || !isBuffer(name) }
	ts, err := safetensors.Read(bufio.NewReader(f), keep)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Weight, len(ts))
	for name, t := range ts {
		out[name] = Weight{Shape: t.Shape, Data: t.Data}
	}
	return out, nil
}
