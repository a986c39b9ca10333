// wasmsize.mjs prints what a Go wasm binary is made of: code bytes per
// package group (from the name section) and the data section, raw and gzip -9
// (each group's function bodies compressed alone). Go's nm cannot read wasm.
//
// Build with symbols and optimize keeping them, as ./build.sh wasm does otherwise:
//
//	GOOS=js GOARCH=wasm GOEXPERIMENT=simd,nogreenteagc,nosizespecializedmalloc \
//		go build -trimpath -o /tmp/engine.wasm ./wasm
//	node_modules/.bin/wasm-opt -g -Oz --low-memory-unused --enable-simd --enable-bulk-memory \
//		--enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals \
//		/tmp/engine.wasm -o /tmp/engine.opt.wasm
//	node tools/wasmsize/wasmsize.mjs /tmp/engine.opt.wasm [top]
//
// With a count, it also lists the largest functions. go build -ldflags=-dumpdep
// says why a symbol is linked.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const buf = readFileSync(process.argv[2]);
const top = Number(process.argv[3] ?? 0);
let pos = 8; // after the magic and version

function uleb() {
  let v = 0;
  for (let shift = 0; ; shift += 7) {
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return v;
  }
}

function name() {
  const n = uleb();
  pos += n;
  return buf.toString("utf8", pos - n, pos);
}

// The sections this needs: imported functions shift the code's indices.
let imported = 0;
let code, data;
const names = new Map();
while (pos < buf.length) {
  const id = buf[pos++];
  const end = uleb() + pos;
  if (id === 0 && name() === "name") {
    while (pos < end) {
      const sub = buf[pos++];
      const subEnd = uleb() + pos;
      if (sub === 1) {
        for (let n = uleb(); n > 0; n--) names.set(uleb(), name());
      }
      pos = subEnd;
    }
  } else if (id === 2) {
    for (let n = uleb(); n > 0; n--) {
      name();
      name();
      if (buf[pos++] !== 0) throw new Error("only function imports are expected in a Go wasm binary");
      uleb();
      imported++;
    }
  } else if (id === 10) {
    code = [pos, end];
  } else if (id === 11) {
    data = buf.subarray(pos, end);
  }
  pos = end;
}
if (!code || names.size === 0) throw new Error("no code or no name section: build without -s -w, optimize with wasm-opt -g");

const ours = "github.com_wasmbert_wasmbert_";
function group(fn) {
  if (fn.startsWith(ours)) return fn.slice(ours.length, fn.indexOf(".", ours.length)).replaceAll("_", "/");
  if (fn.startsWith("main.")) return "wasm (bridge)";
  if (fn.startsWith("internal_runtime_maps.")) return "maps (internal/runtime/maps)";
  if (fn.startsWith("type_.")) return "type:.eq/.hash (generated)";
  if (/^(internal_)?strconv\./.test(fn)) return "strconv (+ internal/strconv)";
  if (fn.startsWith("syscall_js.")) return "syscall/js";
  if (/^(runtime|internal_|type_|callRet|gcWriteBarrier|mem|wasm_|_rt0|go_buildid|_\.)/.test(fn) || !fn.includes(".")) {
    return "runtime (+ internal/*)";
  }
  return "other std (sync, io, slices, unicode, errors, math, …)";
}

const groups = new Map();
const funcs = [];
pos = code[0];
for (let i = 0, n = uleb(); i < n; i++) {
  const size = uleb();
  const fn = names.get(imported + i) ?? `func ${imported + i}`;
  const g = group(fn);
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g).push(buf.subarray(pos, pos + size));
  funcs.push([fn, size]);
  pos += size;
}

const kB = (n) => (n / 1000).toFixed(1).padStart(8);
const gz = (b) => gzipSync(b, { level: 9 }).length;
console.log(`${"raw kB".padStart(8)} ${"gzip kB".padStart(8)}`);
console.log(`${kB(data.length)} ${kB(gz(data))}  data section`);
const rows = [...groups].map(([g, bodies]) => [g, Buffer.concat(bodies)]).sort((a, b) => b[1].length - a[1].length);
for (const [g, b] of rows) console.log(`${kB(b.length)} ${kB(gz(b))}  code: ${g}`);
if (top > 0) {
  console.log("\nlargest functions (bytes):");
  for (const [fn, size] of funcs.sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(size).padStart(8)}  ${fn}`);
}
