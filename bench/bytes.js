// bytes.js measures what each library ships to a browser: its JS, its wasm and
// the weights, raw and compressed the way a static host would serve them.
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { paths } from './paths.js';
import { TJS_FILE } from './libs.js';

// Brotli at quality 11 on the 90 MB fp32 weights takes minutes on this machine;
// hosts precompress large assets at lower quality anyway.
const BROTLI_MAX_Q11 = 16 << 20;
const CACHE = path.join(paths.cache, 'bytes.json');

/** shippedFiles lists the files a page loads for lib at precision. */
export function shippedFiles(lib, precision) {
  if (lib === 'transformersjs') {
    const ort = path.join(paths.tjsOrtDir, 'dist');
    return [
      path.join(paths.tjsDir, 'dist/transformers.min.js'),
      path.join(ort, 'ort-wasm-simd-threaded.asyncify.mjs'),
      path.join(ort, 'ort-wasm-simd-threaded.asyncify.wasm'),
      ...['config.json', 'tokenizer.json', 'tokenizer_config.json'].map((f) => path.join(paths.modelDir, f)),
      path.join(paths.modelDir, TJS_FILE[precision]),
    ];
  }
  return [
    ...moduleGraph([path.join(paths.root, 'js', 'index.js'), path.join(paths.root, 'js', 'worker.js')]),
    path.join(paths.engineDir, 'wasmbert.wasm'),
    path.join(paths.engineDir, 'wasm_exec.js'),
    paths.wbm(precision),
  ];
}

/**
 * moduleGraph lists the library's JS files a page fetches: the entry modules and every
 * relative module they import statically, transitively. A hand-kept list fell behind the
 * library (it missed gostart.js, parallel.js, heads.js, ...); the import graph cannot.
 */
export function moduleGraph(entries) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["'](\.{1,2}\/[^"']+)["']/gm)) {
      visit(path.resolve(path.dirname(file), m[1]));
    }
  };
  entries.forEach(visit);
  return [...seen].sort();
}

/** shipped returns {bytes_raw, bytes_gzip, bytes_brotli, files} or {bytes_error}. */
export function shipped(lib, precision) {
  const files = shippedFiles(lib, precision);
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) return { bytes_error: `missing ${missing.map((f) => path.relative(paths.root, f)).join(', ')}` };
  const cache = existsSync(CACHE) ? JSON.parse(readFileSync(CACHE, 'utf8')) : {};
  const total = { bytes_raw: 0, bytes_gzip: 0, bytes_brotli: 0 };
  for (const f of files) {
    const st = statSync(f);
    const key = `${f}:${st.size}:${st.mtimeMs}`;
    if (!cache[key]) cache[key] = compress(readFileSync(f));
    for (const k of Object.keys(total)) total[k] += cache[key][k];
  }
  mkdirSync(path.dirname(CACHE), { recursive: true });
  writeFileSync(CACHE, JSON.stringify(cache));
  return { ...total, files: files.map((f) => path.relative(paths.root, f)) };
}

function compress(buf) {
  const q = buf.length <= BROTLI_MAX_Q11 ? 11 : 9;
  return {
    bytes_raw: buf.length,
    bytes_gzip: zlib.gzipSync(buf, { level: 9 }).length,
    bytes_brotli: zlib.brotliCompressSync(buf, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }).length,
  };
}
