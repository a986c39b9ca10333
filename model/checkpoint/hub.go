package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// errNotFound marks a file the hub answered 404 for.
var errNotFound = errors.New("not found")

// hubFiles are downloaded from the hub. Exactly one of each alternatives
// group must exist; the rest are optional.
var (
	hubRequired   = []string{"config.json"}
	hubWeights    = []string{"model.safetensors", "pytorch_model.bin"}
	hubTokenizers = []string{"tokenizer.json", "vocab.txt"}
	hubOptional   = []string{"tokenizer_config.json", "special_tokens_map.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "config_sentence_transformers.json"}
)

// fetchHub downloads repo at revision from the hub endpoint into dst.
func fetchHub(ctx context.Context, client *http.Client, endpoint, repo, revision, dst string) error {
	get := func(file string) error {
		return hubDownload(ctx, client, endpoint, repo, revision, file, filepath.Join(dst, filepath.FromSlash(file)))
	}
	for _, f := range hubRequired {
		if err := get(f); err != nil {
			return err
		}
	}
	for _, group := range [][]string{hubWeights, hubTokenizers} {
		if err := firstOf(group, get); err != nil {
			return err
		}
	}
	// vocab.txt next to tokenizer.json is optional too.
	for _, f := range append(hubOptional, "vocab.txt") {
		if err := get(f); err != nil && !errors.Is(err, errNotFound) {
			return err
		}
	}
	return nil
}

func firstOf(files []string, get func(string) error) error {
	for _, f := range files {
		err := get(f)
		if err == nil {
			return nil
		}
		if !errors.Is(err, errNotFound) {
			return err
		}
	}
	return fmt.Errorf("none of %s: %w", strings.Join(files, ", "), errNotFound)
}

func hubDownload(ctx context.Context, client *http.Client, endpoint, repo, revision, file, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	u := strings.TrimRight(endpoint, "/") + "/" + repo + "/resolve/" + url.PathEscape(revision) + "/" + file
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if tok := os.Getenv("HF_TOKEN"); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("get %s: %w", u, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("get %s: %w", u, errNotFound)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("get %s: %s", u, resp.Status)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(dst), ".download*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	n, err := io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("get %s: %w", u, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("get %s: got %d of %d bytes", u, n, resp.ContentLength)
	}
	return os.Rename(f.Name(), dst)
}
