#!/usr/bin/env bash
# build.sh — the one build entry point of wasmbert.
#
#   ./build.sh demo      fetch + convert the default model, build everything, serve the demo site
#                        at http://127.0.0.1:8080 (ADDR=host:port to change)
#   ./build.sh test      build what the tests need, then every test: Go (native and wasm), the JS
#                        library in Node and Chromium, the demo site, the edge worker in workerd
#   ./build.sh wasm      the browser engine: dist/engine/wasmbert.wasm (+ wasmbert-heads.wasm) + wasm_exec.js
#   ./build.sh edge      the edge worker: dist/edgeworker/
#   ./build.sh models    fetch and convert the default model into dist/models/ (cached)
#   ./build.sh site      the static demo site: dist/site/
#   ./build.sh bench     side-by-side benchmark against Transformers.js (docs/benchmarks.*)
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")"
ROOT=$PWD
DIST=$ROOT/dist
export WASMBERT_CACHE=${WASMBERT_CACHE:-$ROOT/.cache/wasmbert}
DEFAULT_MODEL=all-MiniLM-L6-v2

build_cli() {
	mkdir -p "$DIST/bin"
	# GOEXPERIMENT=simd gives the native CLI the AVX2 kernels (portable fallback without AVX2).
	GOEXPERIMENT=simd go build -o "$DIST/bin/wasmbert" ./cmd/wasmbert
}

build_wasm() {
	mkdir -p "$DIST/engine"
	# Size budget 2.5 MB raw / 0.8 MB gzip (docs/design.md, "Engine size"). Two runtime
	# opt-outs drop about 100 kB of allocator and GC code the engine, which allocates a few
	# large buffers, gains nothing from; wasm-opt -Oz (binaryen from npm) another 6%.
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd,nogreenteagc,nosizespecializedmalloc \
		go build -trimpath -ldflags="-s -w" -o "$DIST/engine/wasmbert.plain.wasm" ./wasm
	node_modules/.bin/wasm-opt -Oz --enable-simd --enable-bulk-memory --enable-sign-ext \
		--enable-nontrapping-float-to-int --enable-mutable-globals \
		"$DIST/engine/wasmbert.plain.wasm" -o "$DIST/engine/wasmbert.wasm"
	rm "$DIST/engine/wasmbert.plain.wasm"
	# The downstream heads (spago autograd) are a second module, loaded on first use, so the
	# embedding engine stays small.
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -trimpath -ldflags="-s -w" -o "$DIST/engine/wasmbert-heads.wasm" ./wasm/heads
	install -m 644 "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$DIST/engine/wasm_exec.js"
}

build_edge() {
	mkdir -p "$DIST/edgeworker"
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -trimpath -ldflags="-s -w" -o "$DIST/edgeworker/app.wasm" ./cmd/edgeworker
	install -m 644 "$(go env GOROOT)/lib/wasm/wasm_exec.js" cmd/edgeworker/shim/worker.mjs cmd/edgeworker/workerd.capnp "$DIST/edgeworker/"
}

build_models() {
	build_cli
	mkdir -p "$DIST/models"
	for dtype in int8 f32; do
		out=$DIST/models/$DEFAULT_MODEL.$dtype.wbm
		[ -s "$out" ] || "$DIST/bin/wasmbert" convert --in "$DEFAULT_MODEL" --out "$out" --dtype "$dtype"
	done
	# The smallest download: int4 encoder and an int4 word-embedding table (docs/model-format.md).
	out=$DIST/models/$DEFAULT_MODEL.int4.wbm
	[ -s "$out" ] || "$DIST/bin/wasmbert" convert --in "$DEFAULT_MODEL" --out "$out" --dtype int4 --embeddings int4
}

build_site() {
	node site/build.mjs --out "$DIST/site"
}

build_all() {
	build_models
	build_wasm
	build_edge
	build_site
}

go_tests() {
	go vet ./...
	GOEXPERIMENT=simd go vet ./...
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go vet ./wasm/... ./cmd/edgeworker
	# With the real model on the SIMD kernels, then once more on the portable kernels (the
	# real-model tests skip there: they would only repeat the same checks five times slower).
	GOEXPERIMENT=simd WASMBERT_REAL_MODEL=1 WASMBERT_MODEL_FILE="$DIST/models/$DEFAULT_MODEL.int8.wbm" go test -count=1 -timeout 30m ./...
	go test -count=1 ./...
	# The kernels, tokenizer and heads again as WebAssembly under Node, with and without SIMD.
	local exec
	exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
	GOOS=js GOARCH=wasm go test -count=1 -exec="$exec" ./model/kernel/ ./model/tokenizer/ ./model/heads/
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -count=1 -exec="$exec" ./model/kernel/ ./model/tokenizer/ ./model/bert/
}

js_tests() {
	# The long-session tests (Node and Chromium) make 10,000 calls each, ~4 min together on 2
	# cores; WASMBERT_LONGRUN_CALLS sets another count.
	node --test js/test/*.test.js site/test/*.test.js
}

# A short pass of every fuzz target; plain `go test` already replays the committed corpora.
fuzz_smoke() {
	local t
	for t in model/tokenizer:FuzzEncode model/tokenizer:FuzzBPE model/tokenizer:FuzzUnigram model/tokenizer:FuzzPrecompiled model/modelfile:FuzzDecode model/modelfile:FuzzHeader \
		cmd/edgeworker/internal/api:FuzzHandler cmd/edgeworker/internal/api:FuzzParseEmbeddingsRequest; do
		go test -run '^$' -fuzz "^${t#*:}\$" -fuzztime=10s -fuzzminimizetime=2s -parallel 1 "./${t%%:*}/"
	done
}

case "${1:-}" in
wasm) build_wasm ;;
edge) build_edge ;;
models) build_models ;;
site)
	build_models
	build_wasm
	build_site
	;;
demo)
	build_models
	build_wasm
	build_site
	exec "$DIST/bin/wasmbert" serve --dir "$DIST/site" --addr "${ADDR:-127.0.0.1:8080}"
	;;
test)
	build_all
	go_tests
	fuzz_smoke
	js_tests
	;;
bench)
	build_all
	npm run bench
	;;
*)
	echo "usage: $0 demo|test|wasm|edge|models|site|bench" >&2
	exit 2
	;;
esac
