package checkpoint

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// Resolve returns the path of a model file for modelArg: modelArg itself if
// it is a model file, else the checkpoint Fetch finds for it converted to
// f32 into the cache.
func Resolve(ctx context.Context, modelArg string) (string, error) {
	return ResolveDType(ctx, modelArg, modelfile.F32, FetchOptions{})
}

// ResolveDType is Resolve with a chosen weight dtype (the word-embedding
// table gets ConvertOptions' default for it). Converted files are cached
// under CacheDir/models, keyed by source, dtype and ConverterVersion.
func ResolveDType(ctx context.Context, modelArg string, dtype modelfile.DType, opts FetchOptions) (string, error) {
	st, err := os.Stat(modelArg)
	if err == nil && st.Mode().IsRegular() {
		if err := checkMagic(modelArg); err != nil {
			return "", fmt.Errorf("resolve %s: %w", modelArg, err)
		}
		return modelArg, nil
	}
	// A missing model file is a typo or a file not built yet, not a model name to look up.
	if errors.Is(err, fs.ErrNotExist) && filepath.Ext(modelArg) == ".wbm" {
		return "", fmt.Errorf("resolve %s: model file not found", modelArg)
	}
	dir, err := Fetch(ctx, modelArg, opts)
	if err != nil {
		return "", err
	}
	opts, err = opts.withDefaults()
	if err != nil {
		return "", err
	}
	out := filepath.Join(opts.CacheDir, "models", sourceKey(modelArg, dir)+"."+string(dtype)+".c"+ConverterVersion+".wbm")
	if checkMagic(out) == nil {
		return out, nil
	}
	fmt.Fprintf(opts.Log, "converting %s to %s\n", dir, out)
	if _, err := Convert(dir, out, ConvertOptions{DType: dtype, Source: map[string]string{"model": modelArg}}); err != nil {
		return "", err
	}
	return out, nil
}

// sourceKey names a converted model in the cache: known models by their
// short name, anything else by a hash of its directory and weights' size
// and mtime, so an edited checkpoint is converted again.
func sourceKey(modelArg, dir string) string {
	if m, ok := lookupKnown(modelArg); ok {
		return m.name
	}
	h := sha256.New()
	fmt.Fprintln(h, dir)
	for _, wf := range weightFiles {
		if st, err := os.Stat(filepath.Join(dir, wf.name)); err == nil {
			fmt.Fprintln(h, wf.name, st.Size(), st.ModTime().UnixNano())
		}
	}
	return filepath.Base(dir) + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

func checkMagic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	magic := make([]byte, len(modelfile.Magic))
	if _, err := io.ReadFull(f, magic); err != nil || !bytes.Equal(magic, []byte(modelfile.Magic)) {
		return fmt.Errorf("not a wasmbert model file (no %q magic)", modelfile.Magic)
	}
	return nil
}
