package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadWeights reads every float tensor of the weight file of an HF model
// directory (model.safetensors, else pytorch_model.bin) as float32, keyed as
// in the file, whatever the architecture: it is how encoders other than
// BERT (model/xlnet) load theirs. It also returns the file's name.
func ReadWeights(dir string) (map[string]Weight, string, error) {
	for _, wf := range weightFiles {
		path := filepath.Join(dir, wf.name)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		w, err := wf.read(path)
		if err != nil {
			return nil, wf.name, fmt.Errorf("%s: %w", path, err)
		}
		return w, wf.name, nil
	}
	return nil, "", fmt.Errorf("%s: no weights (model.safetensors or pytorch_model.bin)", dir)
}
