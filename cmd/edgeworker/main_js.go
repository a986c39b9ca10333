//go:build js && wasm

// Command edgeworker serves wasmbert embeddings from a Cloudflare Worker: an OpenAI-compatible
// POST /v1/embeddings, POST /v1/similarity, POST /v1/classify (when deployed with a head) and
// GET /healthz. Build it with
//
//	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -o app.wasm ./cmd/edgeworker
//
// and deploy it with shim/worker.mjs, which keeps one Go instance per isolate so the weights
// (from R2 or static assets, see docs/edge-worker.md) are loaded once, on the first request
// that needs them.
package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"syscall/js"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
)

// memoryLimit bounds the Go runtime's memory while serving. Wasm memory never shrinks, so the
// heap's high-water mark is what the isolate pays for good; with the weights (26 MB for int8
// MiniLM) and one activation slice (activationBudget) live, 64 MiB lets the heap hold a request's
// garbage without growing past it. GOGC stays at 100: the limit, not the percentage, decides
// when a loaded worker collects.
const memoryLimit = 64 << 20

// loadHeadroom is the memory above the model file's size the runtime may use while loading.
// Loading allocates about four times the file in short-lived buffers (each tensor's bytes, then
// its kernel layout); a tight limit makes the GC reclaim them as it goes instead of letting the
// heap grow to twice the finished model, a peak wasm memory would keep.
const loadHeadroom = 8 << 20

func main() {
	debug.SetMemoryLimit(memoryLimit)
	cfg, cfgErr := parseConfig(getenv)
	lazy := &lazyModel{load: func() (api.Model, error) {
		if cfgErr != nil {
			return nil, cfgErr
		}
		return loadFromBindings(cfg)
	}}
	id := newInstanceID()
	h := &api.Handler{
		Limits:  cfg.limits,
		Token:   cfg.token,
		Origins: cfg.origins,
		Model:   lazy.get,
		Health: func() any {
			return health{Status: "ok", InstanceID: id, Model: cfg.modelName, Load: lazy.stats(),
				Memory: readMemory(wasmMemoryBytes())}
		},
	}
	if cfgErr != nil {
		h.Limits = api.DefaultLimits
	}
	// The shim (shim/worker.mjs) waits for context.ready() before handing over requests.
	context := js.Global().Get("context")
	context.Get("binding").Set("handleRequest", handleRequest(h))
	context.Call("ready")
	select {} // serve until the isolate goes away
}

func loadFromBindings(cfg config) (api.Model, error) {
	m, err := loadTwice(func() ([]weightPart, error) { return openWeights(cfg) }, func(parts []weightPart) (api.Model, error) {
		if size, known := declaredSize(parts); known {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(min(size+loadHeadroom, memoryLimit)))
		}
		m, err := loadVerified(parts, cfg.sha256, cfg.maxBytes, func(r io.Reader) (api.Model, error) {
			return newEngineModel(cfg.modelName, r, yieldIsolate)
		})
		// Loading left garbage (tensor buffers, the header JSON); collect it before the first
		// batch, or the second read, so those pages are reused instead of growing wasm memory.
		runtime.GC()
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("load weights: %w", err)
	}
	if cfg.headKey == "" {
		return m, nil
	}
	headCfg := cfg
	headCfg.keys = []string{cfg.headKey}
	return loadTwice(func() ([]weightPart, error) { return openWeights(headCfg) }, func(parts []weightPart) (api.Model, error) {
		return newHeadModel(m, &partReader{part: parts[0]}, cfg.headSHA256)
	})
}
