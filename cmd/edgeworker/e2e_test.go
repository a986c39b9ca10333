//go:build unix

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wasmbert/wasmbert/model/engine"
)

// The end-to-end test builds the worker, serves it from real workerd on 127.0.0.1 with the
// model file behind a disk service (the local stand-in for static assets), and compares its
// vectors with the native engine's on the same file.
//
//	WASMBERT_REAL_MODEL=1 go test -run TestWorkerd -v ./cmd/edgeworker/
//
// WASMBERT_MODEL_FILE overrides dist/models/all-MiniLM-L6-v2.int8.wbm (./build.sh models).

const testToken = "e2e-token"

type workerd struct {
	url    string
	cmd    *exec.Cmd
	logs   *bytes.Buffer
	client *http.Client
}

// realModelSetup returns the repository root and the int8 model file the workerd tests
// serve ($WASMBERT_MODEL_FILE or dist/models/), skipping unless WASMBERT_REAL_MODEL=1.
func realModelSetup(t *testing.T) (root, modelFile string) {
	t.Helper()
	if os.Getenv("WASMBERT_REAL_MODEL") != "1" {
		t.Skip("set WASMBERT_REAL_MODEL=1 (needs dist/models/all-MiniLM-L6-v2.int8.wbm from ./build.sh models and node_modules from npm ci)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	modelFile = os.Getenv("WASMBERT_MODEL_FILE")
	if modelFile == "" {
		modelFile = filepath.Join(root, "dist/models/all-MiniLM-L6-v2.int8.wbm")
	}
	if _, err := os.Stat(modelFile); err != nil {
		t.Fatalf("model file: %v (run ./build.sh models)", err)
	}
	return root, modelFile
}

func TestWorkerd(t *testing.T) {
	root, modelFile := realModelSetup(t)
	w := startWorkerd(t, root, modelFile)

	health := func() health {
		t.Helper()
		var h health
		status, body := w.do(t, "GET", "/healthz", "", nil)
		if status != 200 || json.Unmarshal(body, &h) != nil {
			t.Fatalf("GET /healthz: %d %s", status, body)
		}
		return h
	}
	before := health()
	if before.Load.Loads != 0 {
		t.Fatalf("weights loaded before any embedding request: %+v", before.Load)
	}

	texts := []string{"The quick brown fox jumps over the lazy dog.", "A man is playing a guitar.",
		"Héllo wörld — naïve café, 東京 and emoji 🙂", strings.Repeat("long input ", 400)}
	start := time.Now()
	got := w.embed(t, texts, "float")
	t.Logf("cold start (first /v1/embeddings incl. weight load, %d texts): %v", len(texts), time.Since(start))
	loaded := health()
	if !loaded.Load.Loaded || loaded.Load.Loads != 1 || loaded.Load.Attempts != 1 {
		t.Fatalf("after the first request: load %+v, want loaded once in one attempt", loaded.Load)
	}
	// Wasm memory never shrinks, so its size now is the peak of the load and first batch.
	t.Logf("memory after load: %s", loaded.Memory)

	eng, err := engine.LoadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	// A text longer than the model's maximum length is embedded whole, as windows.
	want, err := eng.Embed(texts, engine.EmbedOptions{Chunk: &engine.Chunking{}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		if d := maxDiff(got[i], want[i].Vector); d > 1e-5 {
			t.Errorf("text %d: worker and native engine differ by %g", i, d)
		}
	}
	if cut, err := eng.Embed(texts[3:], engine.EmbedOptions{}); err != nil || !cut[0].Truncated || want[3].Chunks < 2 || maxDiff(got[3], cut[0].Vector) < 1e-3 {
		t.Errorf("the long text (%d tokens) was not embedded as windows: %d chunks, err %v", want[3].FullTokens, want[3].Chunks, err)
	}
	if b64 := w.embed(t, texts[:2], "base64"); maxDiff(b64[0], got[0]) != 0 || maxDiff(b64[1], got[1]) != 0 {
		t.Errorf("base64 vectors differ from float vectors")
	}

	t.Run("parallel", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for range 50 {
			wg.Go(func() {
				status, body := w.do(t, "POST", "/v1/embeddings", `{"input":["The quick brown fox jumps over the lazy dog.","A man is playing a guitar."]}`, nil)
				if status != 200 {
					errs <- fmt.Errorf("status %d: %s", status, body)
					return
				}
				vecs, err := decodeVectors(body)
				if err != nil {
					errs <- err
					return
				}
				if maxDiff(vecs[0], got[0]) != 0 || maxDiff(vecs[1], got[1]) != 0 {
					errs <- errors.New("vectors differ from the first response")
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})

	t.Run("errors", func(t *testing.T) {
		many, _ := json.Marshal(map[string]any{"input": slices.Repeat([]string{"a"}, 257)})
		long, _ := json.Marshal(map[string]any{"input": strings.Repeat("é", 8193)})
		huge, _ := json.Marshal(map[string]any{"input": strings.Repeat("a", 1<<20)})
		tests := []struct {
			name, method, path, body string
			headers                  map[string]string
			status                   int
		}{
			{"no token", "POST", "/v1/embeddings", `{"input":"a"}`, map[string]string{"Authorization": ""}, 401},
			{"wrong token", "POST", "/v1/embeddings", `{"input":"a"}`, map[string]string{"Authorization": "Bearer x"}, 401},
			{"wrong method", "GET", "/v1/embeddings", "", nil, 405},
			{"healthz wrong method", "DELETE", "/healthz", "", nil, 405},
			{"malformed JSON", "POST", "/v1/embeddings", `{"input":`, nil, 400},
			{"empty input", "POST", "/v1/embeddings", `{"input":""}`, nil, 400},
			{"token ids", "POST", "/v1/embeddings", `{"input":[101,102]}`, nil, 400},
			{"257 inputs", "POST", "/v1/embeddings", string(many), nil, 400},
			{"8193 chars", "POST", "/v1/embeddings", string(long), nil, 413},
			{"body over 1 MB", "POST", "/v1/embeddings", string(huge), nil, 413},
			{"dimensions over 384", "POST", "/v1/embeddings", `{"input":"a","dimensions":385}`, nil, 400},
			{"other model", "POST", "/v1/embeddings", `{"input":"a","model":"text-embedding-3-small"}`, nil, 404},
			{"similarity malformed", "POST", "/v1/similarity", `{"a":"x"}`, nil, 400},
			{"classify without a head", "POST", "/v1/classify", `{"input":"a"}`, nil, 404},
			{"unknown path", "GET", "/v2", "", nil, 404},
		}
		for _, tt := range tests {
			status, body := w.do(t, tt.method, tt.path, tt.body, tt.headers)
			var e struct {
				Error struct{ Message, Code string }
			}
			if status != tt.status || json.Unmarshal(body, &e) != nil || e.Error.Message == "" {
				t.Errorf("%s: got %d %.200s, want %d with a JSON error", tt.name, status, body, tt.status)
			}
		}
		// A text over the character limit is refused with the limit named.
		_, body := w.do(t, "POST", "/v1/embeddings", string(long), nil)
		if !strings.Contains(string(body), `"code":"input_too_long"`) || !strings.Contains(string(body), "limit of 8192 per text (MAX_INPUT_CHARS)") {
			t.Errorf("8193 chars: %s, want input_too_long naming the limit", body)
		}
		status, _ := w.do(t, "OPTIONS", "/v1/embeddings", "", map[string]string{"Origin": "https://ok.example", "Authorization": ""})
		if status != 204 {
			t.Errorf("CORS preflight: %d", status)
		}
	})

	t.Run("similarity", func(t *testing.T) {
		status, body := w.do(t, "POST", "/v1/similarity", `{"a":"A man is playing a guitar.","b":"The quick brown fox jumps over the lazy dog."}`, nil)
		var r struct{ Similarity *float32 }
		if status != 200 || json.Unmarshal(body, &r) != nil || r.Similarity == nil {
			t.Fatalf("%d %s", status, body)
		}
		var dot float32
		for i := range got[0] {
			dot += got[0][i] * got[1][i]
		}
		if math.Abs(float64(*r.Similarity-dot)) > 1e-5 {
			t.Errorf("similarity %v, dot of the embeddings %v", *r.Similarity, dot)
		}
	})

	for _, n := range []int{1, 32} {
		batch := make([]string, n)
		for i := range batch {
			batch[i] = fmt.Sprintf("sentence number %d about embeddings at the edge", i)
		}
		var lat []time.Duration
		for range 10 {
			s := time.Now()
			w.embed(t, batch, "float")
			lat = append(lat, time.Since(s))
		}
		slices.Sort(lat)
		t.Logf("warm /v1/embeddings, %d inputs: p50 %v, p95 %v (10 requests)", n, lat[len(lat)/2], lat[len(lat)*95/100])
	}

	// The largest requests the limits allow in count and in length: the worker embeds them in
	// slices, so they must not grow wasm memory past the budget.
	big := map[string][]string{
		"256 short inputs":        make([]string, 256),
		"32 inputs of 256 tokens": make([]string, 32),
	}
	for i := range big["256 short inputs"] {
		big["256 short inputs"][i] = fmt.Sprintf("short input %d for the edge", i)
	}
	for i := range big["32 inputs of 256 tokens"] {
		// The number, 253 words and [CLS] [SEP]: the model's maximum length, all of the budget.
		text := fmt.Sprintf("%d %s", i, strings.Repeat("word ", 253))
		if enc, err := eng.Tokenize(text); err != nil || enc.FullLength != 256 {
			t.Fatalf("input %d is not 256 tokens: %d, %v", i, enc.FullLength, err)
		}
		big["32 inputs of 256 tokens"][i] = text
	}
	for _, name := range []string{"256 short inputs", "32 inputs of 256 tokens"} {
		s := time.Now()
		w.embed(t, big[name], "base64")
		t.Logf("%s: %v, memory after: %s", name, time.Since(s), health().Memory)
	}

	after := health()
	if after.InstanceID != before.InstanceID || after.Load.Loads != 1 || after.Load.Attempts != 1 {
		t.Errorf("weights not loaded exactly once by one instance: before %+v, after %+v", before, after)
	}
	t.Logf("healthz memory at the end: %s", after.Memory)
	// The local workerd does not enforce Cloudflare's 128 MB isolate cap, so the test checks
	// the figure itself; the JS heap needs the rest of the 128 MB.
	const wasmBudget = 100_000_000
	if after.Memory.WasmBytes == 0 || after.Memory.WasmBytes >= wasmBudget {
		t.Errorf("peak wasm memory %d bytes, want under %d", after.Memory.WasmBytes, wasmBudget)
	}
	if fi, err := os.Stat(filepath.Join(w.dir(), "app.wasm")); err == nil {
		t.Logf("app.wasm: %d bytes", fi.Size())
	}
}

func (w *workerd) dir() string { return filepath.Dir(w.cmd.Args[2]) }

func (w *workerd) do(t *testing.T, method, path, body string, headers map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, w.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := w.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v\nworkerd log:\n%s", method, path, err, w.logs)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, b
}

func (w *workerd) embed(t *testing.T, texts []string, format string) [][]float32 {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"input": texts, "encoding_format": format})
	status, resp := w.do(t, "POST", "/v1/embeddings", string(body), nil)
	if status != 200 {
		t.Fatalf("POST /v1/embeddings: %d %s\nworkerd log:\n%s", status, resp, w.logs)
	}
	vecs, err := decodeVectors(resp)
	if err != nil || len(vecs) != len(texts) {
		t.Fatalf("decode %d vectors: %v", len(vecs), err)
	}
	return vecs
}

func decodeVectors(body []byte) ([][]float32, error) {
	var r struct {
		Data []struct {
			Index     int
			Embedding json.RawMessage
		}
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	out := make([][]float32, len(r.Data))
	for i, d := range r.Data {
		if d.Index != i {
			return nil, fmt.Errorf("data[%d] has index %d", i, d.Index)
		}
		var s string
		if json.Unmarshal(d.Embedding, &s) == nil {
			raw, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, err
			}
			for j := 0; j+4 <= len(raw); j += 4 {
				out[i] = append(out[i], math.Float32frombits(binary.LittleEndian.Uint32(raw[j:])))
			}
			continue
		}
		if err := json.Unmarshal(d.Embedding, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// startWorkerd builds the worker into a temp dir, writes a workerd config for it and starts
// workerd in its own process group, which the cleanup kills whole. env adds vars (NAME=value).
func startWorkerd(t *testing.T, root, modelFile string, env ...string) *workerd {
	t.Helper()
	bin := filepath.Join(root, "node_modules/.bin/workerd")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("workerd: %v (npm ci installs it)", err)
	}
	dir := t.TempDir()
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	build := exec.Command(goCmd, "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "app.wasm"), ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=simd")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build worker: %v\n%s", err, out)
	}
	for src, dst := range map[string]string{
		filepath.Join(runtime.GOROOT(), "lib/wasm/wasm_exec.js"): "wasm_exec.js",
		"shim/worker.mjs": "worker.mjs",
		"workerd.capnp":   "workerd.capnp",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	model, err := os.ReadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(model)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	logs := &bytes.Buffer{}
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "workerd.capnp"),
		"--socket-addr=http="+addr,
		"--directory-path=weights="+filepath.Dir(modelFile),
		"--verbose")
	cmd.Env = append(os.Environ(),
		"MODEL_KEYS="+filepath.Base(modelFile),
		"MODEL_SHA256="+hex.EncodeToString(sum[:]),
		"API_TOKEN="+testToken,
		"CORS_ORIGINS=https://ok.example")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			t.Logf("workerd log:\n%s", logs)
		}
	})
	// A fresh connection per request: workerd may close an idle keep-alive connection just as
	// the client reuses it, and a POST on it is not retried.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	w := &workerd{url: "http://" + addr, cmd: cmd, logs: logs, client: client}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(w.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return w
			}
		}
		select {
		case err := <-done:
			done <- err // for the cleanup
			t.Fatalf("workerd exited: %v\n%s", err, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("workerd not ready after 30s: %v\n%s", err, logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
