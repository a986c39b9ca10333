#!/usr/bin/env bash
# build.sh — the one build entry point of wasmbert.
#
#   ./build.sh demo      fetch + convert the default model, build everything, serve the demo site
#   ./build.sh test      everything the tests need, then all tests (Go native, Go wasm, JS, browser, worker)
#   ./build.sh wasm      build the engine: dist/engine/wasmbert.wasm + wasm_exec.js
#   ./build.sh models    fetch and convert the default model into dist/models/ (cached)
#   ./build.sh bench     side-by-side benchmark against Transformers.js
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")"
ROOT=$PWD
DIST=$ROOT/dist
export WASMBERT_CACHE=${WASMBERT_CACHE:-$ROOT/.cache/wasmbert}
DEFAULT_MODEL=all-MiniLM-L6-v2

cli() { go run ./cmd/wasmbert "$@"; }

build_cli() {
	mkdir -p "$DIST/bin"
	go build -o "$DIST/bin/wasmbert" ./cmd/wasmbert
}

build_wasm() {
	mkdir -p "$DIST/engine"
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -trimpath -ldflags="-s -w" -o "$DIST/engine/wasmbert.wasm" ./wasm
	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$DIST/engine/wasm_exec.js"
}

build_models() {
	build_cli
	mkdir -p "$DIST/models"
	for dtype in int8 f32; do
		out=$DIST/models/$DEFAULT_MODEL.$dtype.wbm
		[ -s "$out" ] || "$DIST/bin/wasmbert" convert --in "$DEFAULT_MODEL" --out "$out" --dtype "$dtype"
	done
}

go_tests() {
	go vet ./...
	WASMBERT_REAL_MODEL=1 go test -count=1 ./...
	# The kernels and the engine again as WebAssembly under Node, with and without SIMD.
	local exec
	exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
	GOOS=js GOARCH=wasm go test -count=1 -exec="$exec" ./model/kernel/ ./model/tokenizer/
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -count=1 -exec="$exec" ./model/kernel/ ./model/tokenizer/
}

case "${1:-}" in
wasm) build_wasm ;;
models) build_models ;;
test)
	build_models
	build_wasm
	go_tests
	;;
*)
	echo "usage: $0 demo|test|wasm|models|bench" >&2
	exit 2
	;;
esac
