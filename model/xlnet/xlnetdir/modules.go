package xlnetdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wasmbert/wasmbert/model/pooling"
)

// readModules reads the pooling of a sentence-transformers directory:
// modules.json, its Pooling module's config.json and whether a Normalize
// module follows. A plain HF directory gets mean pooling unnormalized, what
// sentence-transformers puts on one.
func readModules(dir string) (pooling.Mode, bool, error) {
	path := filepath.Join(dir, "modules.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return pooling.Mean, false, nil
	}
	if err != nil {
		return "", false, err
	}
	var modules []struct {
		Path string `json:"path"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &modules); err != nil {
		return "", false, fmt.Errorf("%s: %w", path, err)
	}
	mode, normalize := pooling.Mean, false
	for _, m := range modules {
		switch {
		case strings.HasSuffix(m.Type, ".Transformer"):
		case strings.HasSuffix(m.Type, ".Pooling"):
			if mode, err = readPoolingMode(filepath.Join(dir, m.Path, "config.json")); err != nil {
				return "", false, err
			}
		case strings.HasSuffix(m.Type, ".Normalize"):
			normalize = true
		default:
			return "", false, fmt.Errorf("%s: module %s not supported", path, m.Type)
		}
	}
	return mode, normalize, nil
}

func readPoolingMode(path string) (pooling.Mode, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	var modes []pooling.Mode
	for key, mode := range map[string]pooling.Mode{
		"pooling_mode_cls_token": pooling.CLS, "pooling_mode_mean_tokens": pooling.Mean,
		"pooling_mode_max_tokens": pooling.Max, "pooling_mode_lasttoken": pooling.LastToken,
		"pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len", "pooling_mode_weightedmean_tokens": "weightedmean",
	} {
		if c[key] == true {
			modes = append(modes, mode)
		}
	}
	if len(modes) != 1 || modes[0] != pooling.CLS && modes[0] != pooling.Mean && modes[0] != pooling.Max && modes[0] != pooling.LastToken {
		return "", fmt.Errorf("%s: pooling %v not supported (want exactly one of cls, mean, max, lasttoken)", path, modes)
	}
	return modes[0], nil
}
