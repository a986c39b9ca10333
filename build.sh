#!/usr/bin/env bash
# build.sh — the one build entry point of wasmbert.
#
#   ./build.sh demo      fetch + convert the default model, build everything, serve the demo site
#                        at http://127.0.0.1:8080 (ADDR=host:port to change)
#   ./build.sh test      build what the tests need, then every test: Go (native and wasm), the JS
#                        library in Node and Chromium, the demo site, the edge worker in workerd
#   ./build.sh test-fast the checks that need no network, no real model and no browser (~minutes)
#   ./build.sh test-clone  a fresh clone of this repository runs ./build.sh demo until the site answers
#   ./build.sh wasm      the browser engine: dist/engine/wasmbert.wasm (+ wasmbert-families.wasm, wasmbert-parallel.wasm, wasmbert-heads.wasm) + wasm_exec.js
#   ./build.sh edge      the edge worker: dist/edgeworker/
#   ./build.sh models    fetch and convert the default model into dist/models/ (cached)
#   ./build.sh site      the static demo site: dist/site/
#   ./build.sh bench     side-by-side benchmark against Transformers.js (docs/benchmarks.*)
#
# Every command does its own set-up (npm ci when node_modules is missing or does not match
# package-lock.json; Chromium for the browser tests) and skips outputs newer than their sources.
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")"
ROOT=$PWD
DIST=$ROOT/dist
export WASMBERT_CACHE=${WASMBERT_CACHE:-$ROOT/.cache/wasmbert}
DEFAULT_MODEL=all-MiniLM-L6-v2
ADDR=${ADDR:-127.0.0.1:8080}
# The browser tests launch this binary (js/test/helpers.js); they never download a browser.
CHROMIUM=/usr/bin/chromium

say() { echo "build.sh: $*" >&2; }

for tool in go node; do
	command -v $tool >/dev/null || {
		say "$tool is needed on PATH: Go from https://go.dev/dl/ (any recent version fetches $GOTOOLCHAIN itself), Node 20 or later"
		exit 1
	}
done

# step WHAT CMD... runs CMD between a start and a done line, with a line every 10 s in
# between, so a long build never looks hung.
step() {
	local what=$1 start ticker
	shift
	start=$(date +%s)
	say "$what"
	(
		trap 'kill $s 2>/dev/null; exit 0' TERM
		while :; do
			sleep 10 &
			s=$!
			wait $s
			say "  … $what ($(($(date +%s) - start)) s)"
		done
	) &
	ticker=$!
	# set -e ends the script when CMD fails; the trap stops the ticker then too.
	trap "kill $ticker 2>/dev/null" EXIT
	"$@"
	kill $ticker 2>/dev/null
	wait $ticker 2>/dev/null || true
	trap - EXIT
	say "  done in $(($(date +%s) - start)) s: $what"
}

# stale OUT GOOS PKG... succeeds when OUT is missing or older than build.sh, go.mod, go.sum or
# a non-test file in the folders of the module's packages that PKG build from.
stale() {
	local out=$1 goos=$2 dirs
	shift 2
	[ -e "$out" ] || return 0
	dirs=$(GOOS=$goos GOARCH=$([ "$goos" = js ] && echo wasm || go env GOARCH) GOEXPERIMENT=simd \
		go list -deps -f '{{if not .Standard}}{{.Dir}}{{end}}' "$@" | grep "^$ROOT/") ||
		return 0 # cannot tell: build, and let the build report what is wrong
	# shellcheck disable=SC2086 # one folder per line, none with spaces under $ROOT
	[ -n "$(find build.sh go.mod go.sum $dirs -maxdepth 1 -type f ! -name '*_test.go' -newer "$out" -print -quit)" ]
}

# npm dependencies: `npm ci` when node_modules is missing or any package the lock file pins
# (optional platform packages aside) is absent or at another version in npm's record of
# what it installed (node_modules/.package-lock.json).
ensure_node_modules() {
	if node -e '
		const fs = require("fs");
		const want = JSON.parse(fs.readFileSync("package-lock.json")).packages;
		let have;
		try { have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json")).packages; } catch { process.exit(1); }
		for (const [k, p] of Object.entries(want)) {
			if (k !== "" && !p.optional && have[k]?.version !== p.version) process.exit(1);
		}'; then
		return
	fi
	# --ignore-scripts: the binaries ship inside the packages; install scripts would download more.
	step "installing npm dependencies (npm ci)" npm ci --ignore-scripts --no-audit --no-fund
}

ensure_chromium() {
	[ -x "$CHROMIUM" ] && return
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		step "installing chromium for the browser tests (apt-get)" install_chromium
	else
		say "the browser tests need Debian's chromium at $CHROMIUM: run 'sudo apt-get install -y chromium'"
		exit 1
	fi
}

install_chromium() {
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

# check_addr fails, before anything is built, when the demo could not listen on $ADDR.
check_addr() {
	ADDR=$ADDR node -e '
		const addr = process.env.ADDR;
		const i = addr.lastIndexOf(":");
		const host = addr.slice(0, i).replace(/^\[|\]$/g, "") || undefined;
		require("net").createServer()
			.once("error", (e) => {
				const why = e.code === "EADDRINUSE" ? "is taken" : `cannot be used (${e.code})`;
				console.error(`build.sh: ${addr} ${why}; serve elsewhere with, e.g., ADDR=127.0.0.1:8081 ./build.sh demo`);
				process.exit(1);
			})
			.listen(Number(addr.slice(i + 1)), host, function () { this.close(); });'
}

build_cli() {
	stale "$DIST/bin/wasmbert" "$(go env GOOS)" ./cmd/wasmbert || return 0
	mkdir -p "$DIST/bin"
	# GOEXPERIMENT=simd gives the native CLI the AVX2 kernels (portable fallback without AVX2).
	step "building the CLI (dist/bin/wasmbert)" \
		env GOEXPERIMENT=simd go build -o "$DIST/bin/wasmbert" ./cmd/wasmbert
}

build_wasm() {
	stale "$DIST/engine/wasmbert.wasm" js ./wasm ||
		stale "$DIST/engine/wasmbert-families.wasm" js ./wasm ||
		stale "$DIST/engine/wasmbert-parallel.wasm" js ./wasm ||
		stale "$DIST/engine/wasmbert-heads.wasm" js ./wasm/heads || return 0
	ensure_node_modules
	step "building the engine (dist/engine/wasmbert.wasm, wasmbert-families.wasm, wasmbert-parallel.wasm, wasmbert-heads.wasm)" build_engine
}

build_engine() {
	mkdir -p "$DIST/engine"
	# Size budget 2.5 MB raw / 0.8 MB gzip (docs/design.md, "Engine size"). Two runtime
	# opt-outs drop about 100 kB of allocator and GC code the engine, which allocates a few
	# large buffers, gains nothing from; wasm-opt -Oz (binaryen from npm) another 6%.
	# --low-memory-unused lets it fold the constant in a load's or store's address
	# into the instruction's offset (2.5% more): only an address that wraps past
	# 4 GiB into the first 1 kB behaves otherwise, and Go puts nothing there (its
	# data starts at 26 kB; nil is checked explicitly, and is 0 either way).
	# Three builds of ./wasm, NAME:TAGS each:
	# - wasmbert.wasm, the core (tag wasmbert_core): WordPiece models only; the BPE and
	#   Unigram tokenizers and their Unicode normalizers are what kept it over the budget.
	# - wasmbert-families.wasm: every tokenizer family; the library fetches it instead when
	#   the model file's header names a BPE or Unigram tokenizer (js/engine-choice.js).
	# - wasmbert-parallel.wasm: every family, and can split one text across the workers
	#   (docs/design.md, "One text on every worker"); loaded only with load({parallel: "auto"}).
	local build name tags
	for build in wasmbert:wasmbert_core wasmbert-families: wasmbert-parallel:parallel; do
		name=${build%%:*} tags=${build#*:}
		GOOS=js GOARCH=wasm GOEXPERIMENT=simd,nogreenteagc,nosizespecializedmalloc \
			go build -tags "$tags" -trimpath -ldflags="-s -w" -o "$DIST/engine/wasmbert.plain.wasm" ./wasm
		node_modules/.bin/wasm-opt -Oz --low-memory-unused --enable-simd --enable-bulk-memory --enable-sign-ext \
			--enable-nontrapping-float-to-int --enable-mutable-globals \
			"$DIST/engine/wasmbert.plain.wasm" -o "$DIST/engine/$name.wasm"
	done
	rm "$DIST/engine/wasmbert.plain.wasm"
	# The downstream heads (spago autograd) are a second module, loaded on first use, so the
	# embedding engine stays small.
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -trimpath -ldflags="-s -w" -o "$DIST/engine/wasmbert-heads.wasm" ./wasm/heads
	install -m 644 "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$DIST/engine/wasm_exec.js"
}

build_edge() {
	stale "$DIST/edgeworker/app.wasm" js ./cmd/edgeworker ||
		[ -n "$(find cmd/edgeworker/shim/worker.mjs cmd/edgeworker/workerd.capnp -newer "$DIST/edgeworker/app.wasm")" ] ||
		return 0
	mkdir -p "$DIST/edgeworker"
	step "building the edge worker (dist/edgeworker/app.wasm)" \
		env GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -trimpath -ldflags="-s -w" -o "$DIST/edgeworker/app.wasm" ./cmd/edgeworker
	install -m 644 "$(go env GOROOT)/lib/wasm/wasm_exec.js" cmd/edgeworker/shim/worker.mjs cmd/edgeworker/workerd.capnp "$DIST/edgeworker/"
}

build_models() {
	build_cli
	mkdir -p "$DIST/models"
	convert_model int8 --dtype int8
	convert_model f32 --dtype f32
	# The smallest download: int4 encoder and an int4 word-embedding table (docs/model-format.md).
	convert_model int4 --dtype int4 --embeddings int4
}

# convert_model NAME FLAGS... converts the default model into dist/models/ when the file is
# missing or older than the converter's sources (a new format or converter version makes the
# old file unreadable). It writes beside the target and renames, so a reader (a running
# demo, a test) never sees half a file.
convert_model() {
	local name=$1 out
	shift
	out=$DIST/models/$DEFAULT_MODEL.$name.wbm
	stale "$out" "$(go env GOOS)" ./model/checkpoint || return 0
	step "converting $DEFAULT_MODEL to $name (dist/models/)" \
		"$DIST/bin/wasmbert" convert --in "$DEFAULT_MODEL" --out "$out.tmp" "$@"
	mv "$out.tmp" "$out"
}

build_site() {
	# site/build.mjs copies the pages, the library, the engine, the models and the demo data.
	local stamp=$DIST/.site-built
	if [ -e "$stamp" ] && [ -z "$(find build.sh site js/*.js dist/engine dist/models/ model/*/testdata \
		-path site/test -prune -o -type f -newer "$stamp" -print -quit)" ]; then
		return 0
	fi
	step "building the demo site (dist/site/)" node site/build.mjs --out "$DIST/site"
	touch "$stamp"
}

build_all() {
	build_models
	build_wasm
	build_edge
	build_site
}

# go_checks: what needs no test run: vet, internal/errfmt's calls checked like fmt's, and
# go.mod/go.sum exactly what the imports need.
go_checks() {
	go vet ./...
	GOEXPERIMENT=simd go vet ./...
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go vet ./wasm/... ./cmd/edgeworker
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go vet -tags wasmbert_core ./wasm
	go vet -tags wasmbert_core ./model/engine
	errfmt_vet
	go mod tidy -diff
}

# errfmt_vet runs vet's printf check on errfmt.Errorf and errfmt.Sprintf. -printf.funcs can
# only declare Printf-like functions (vet knows %w for fmt.Errorf alone), so the one report
# it then makes about every %w in errfmt.Errorf is dropped; any other report fails.
errfmt_vet() {
	local pkg=github.com/wasmbert/wasmbert/internal/errfmt out
	out=$(GOEXPERIMENT=simd go vet -printf -printf.funcs="$pkg.Errorf,$pkg.Sprintf" ./... 2>&1 |
		grep -v -e '^# ' -e "$pkg.Errorf does not support error-wrapping directive %w\$" || true)
	if [ -n "$out" ]; then
		echo "$out" >&2
		return 1
	fi
}

go_tests() {
	go_checks
	# With the real model on the SIMD kernels, then once more on the portable kernels (the
	# real-model tests skip there: they would only repeat the same checks five times slower).
	GOEXPERIMENT=simd WASMBERT_REAL_MODEL=1 WASMBERT_MODEL_FILE="$DIST/models/$DEFAULT_MODEL.int8.wbm" go test -count=1 -timeout 30m ./...
	go test -count=1 ./...
	# The core engine build (wasmbert.wasm) leaves the BPE and Unigram tokenizers out.
	go test -count=1 -tags wasmbert_core ./model/...
	# The kernels, tokenizer and heads again as WebAssembly under Node, with and without SIMD.
	local exec
	exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
	GOOS=js GOARCH=wasm go test -count=1 -exec="$exec" ./model/kernel/ ./model/tokenizer/ ./model/heads/
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -count=1 -exec="$exec" ./model/kernel/ ./model/tokenizer/ ./model/bert/
}

js_tests() {
	# The long-session tests (Node and Chromium) make 10,000 calls each, ~4 min together on 2
	# cores; WASMBERT_LONGRUN_CALLS sets another count.
	# The fresh-clone test (README's demo command on a clone with no node_modules): 1.5–2.5 min on 2 loaded cores.
	WASMBERT_FRESH_CLONE=1 node --test js/test/*.test.js site/test/*.test.js
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
	check_addr
	build_models
	build_wasm
	build_site
	exec "$DIST/bin/wasmbert" serve --dir "$DIST/site" --addr "$ADDR"
	;;
test)
	ensure_node_modules
	ensure_chromium
	build_all
	go_tests
	fuzz_smoke
	js_tests
	;;
test-fast)
	# No network, no real model, no browser: vet, go.mod, the TypeScript declarations, the paths the docs name, and
	# the Go tests (the real-model ones skip and say so).
	ensure_node_modules
	go_checks
	node --test js/test/types.test.js js/test/docpaths.test.js
	env -u WASMBERT_REAL_MODEL go test -count=1 ./...
	;;
test-clone)
	ensure_node_modules
	WASMBERT_FRESH_CLONE=1 node --test js/test/fresh-clone.test.js
	;;
bench)
	ensure_node_modules
	build_all
	npm run bench
	;;
*)
	echo "usage: $0 demo|test|test-fast|test-clone|wasm|edge|models|site|bench" >&2
	exit 2
	;;
esac
