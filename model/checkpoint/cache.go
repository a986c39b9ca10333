package checkpoint

import (
	"fmt"
	"os"
	"path/filepath"
)

// CacheDir returns the wasmbert cache: $WASMBERT_CACHE if set, else
// wasmbert under the user cache dir.
func CacheDir() (string, error) {
	if d := os.Getenv("WASMBERT_CACHE"); d != "" {
		return filepath.Abs(d)
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("locate cache dir (set WASMBERT_CACHE): %w", err)
	}
	return filepath.Join(d, "wasmbert"), nil
}
