// profile_child.js runs one library in one precision under a profiler, in a
// fresh Node process started by profile.js with --cpu-prof. It does not
// analyse anything: it prints what happened and when, and profile.js lines
// that up with the CPU profile and with onnxruntime's op profile.
//
//   node --cpu-prof --cpu-prof-dir=DIR bench/profile_child.js \
//     '{"lib":"wasmbert","precision":"int8","mode":"steady","iterations":20,"batches":4,"engineDir":"/tmp/prof/engine"}'
//
// stdout: anything onnxruntime prints (its profile is a JSON array of trace
// events, printed when the session ends profiling), then one line
// "@@profile {...}" with the marks. Clock: microseconds of process.hrtime,
// the clock of V8's CPU profile timestamps; marks also carry ms since
// process start (performance.now()).
//
// mode "steady": load, warm up, then phases "32tok", "128tok" (single texts)
// and "batch16" (the first corpus texts, 16 at a time), one after the other.
// mode "cold": process start -> first vector of the 8-token text, nothing
// cached by the library (wasmbert cache off; Transformers.js has no cache in
// Node). The OS page cache is not dropped: files come from memory.
import fs, { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { paths, loadData, tjsOrtWeb } from './paths.js';
import { BATCH } from './workload.js';
import { MODEL_NAME, TJS_DTYPE } from './libs.js';

const cfg = JSON.parse(process.argv[2]);
const us = () => Number(process.hrtime.bigint() / 1000n);
const marks = [];
const mark = (name) => marks.push({ name, us: us(), ms: performance.now() });
// Intervals of calls we time from outside: wasm compile/instantiate, file reads.
const spans = [];

function timed(obj, key, kind) {
  const orig = obj[key];
  if (typeof orig !== 'function') return;
  obj[key] = function (...args) {
    const start = us();
    const detail = typeof args[0] === 'string' || args[0] instanceof URL ? String(args[0]) : undefined;
    const done = () => spans.push({ kind, fn: key, start, end: us(), detail });
    const r = orig.apply(this, args);
    if (r && typeof r.then === 'function') r.then(done, done);
    else done();
    return r;
  };
}
for (const k of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) timed(WebAssembly, k, 'wasm');
timed(fs.promises, 'readFile', 'read');

async function openTJS() {
  globalThis[Symbol.for('onnxruntime')] = await import(tjsOrtWeb.node);
  const tjs = await import('@huggingface/transformers');
  mark('imported');
  const { env } = tjs;
  env.useWasmCache = false;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = paths.models + '/';
  env.backends.onnx.wasm.wasmPaths = tjsOrtWeb.wasmPaths;
  env.backends.onnx.wasm.numThreads = 1;
  if (env.backends.onnx.versions?.web === undefined) throw new Error('transformersjs: onnxruntime-web was not picked up');
  // The same pipeline as libs.js, plus onnxruntime's op-level profiler.
  const pipe = await tjs.pipeline('feature-extraction', MODEL_NAME, {
    dtype: TJS_DTYPE[cfg.precision],
    device: 'auto',
    session_options: { executionProviders: ['wasm'], enableProfiling: true },
  });
  return {
    embed: async (texts) => {
      const t = await pipe(texts, { pooling: 'mean', normalize: true });
      return t.dims[0];
    },
    // Tokens without padding, to compare with the padded length onnxruntime sees.
    tokens: (texts) => texts.reduce((n, t) => n + pipe.tokenizer(t).input_ids.dims.at(-1), 0),
    // onnxruntime-web prints the profile (trace events) to stdout here.
    finish: async () => {
      await pipe.model.sessions.model.endProfiling();
      await pipe.dispose();
    },
  };
}

async function openWasmbert() {
  const lib = await import(pathToFileURL(paths.wasmbertIndex).href);
  mark('imported');
  const m = await lib.load({
    model: pathToFileURL(paths.wbm(cfg.precision)).href,
    workers: 1, // as in the benchmark: one engine in one worker
    cache: false,
    engineURL: pathToFileURL(cfg.engineDir + '/').href,
    onProgress: ({ phase, loaded, total }) => {
      if (phase === 'compile' && loaded === total) mark('compiled');
      if (phase === 'download' && loaded === total) mark('read');
    },
  });
  return {
    embed: async (texts) => (await m.embed(texts)).length,
    finish: async () => m.dispose(),
  };
}

async function phase(name, lib, batches) {
  const start = us();
  for (const b of batches) await lib.embed(b);
  const end = us();
  return { name, start, end, calls: batches.length, texts: batches.reduce((n, b) => n + b.length, 0), runs: batches.length };
}

try {
  const data = loadData(readFileSync);
  mark('start');
  const lib = cfg.lib === 'transformersjs' ? await openTJS() : await openWasmbert();
  mark('loaded');
  await lib.embed([data.singles['8']]);
  mark('first');
  const phases = [];
  let warmRuns = 1;
  if (cfg.mode === 'steady') {
    const n = cfg.iterations ?? 20;
    const corpus = [];
    for (let i = 0; i < (cfg.batches ?? 4) * BATCH; i += BATCH) corpus.push(data.corpus.slice(i, i + BATCH));
    for (let i = 0; i < 3; i++) for (const b of [[data.singles['32']], [data.singles['128']], corpus[0]]) await lib.embed(b);
    warmRuns += 9;
    phases.push(await phase('32tok', lib, Array(n).fill([data.singles['32']])));
    phases.push(await phase('128tok', lib, Array(n).fill([data.singles['128']])));
    phases.push(await phase('batch16', lib, corpus));
    // Per call: tokens of the single text, or of one batch on average.
    const calls = { '32tok': [[data.singles['32']]], '128tok': [[data.singles['128']]], batch16: corpus };
    if (lib.tokens) for (const p of phases) p.tokens = calls[p.name].reduce((n, b) => n + lib.tokens(b), 0) / calls[p.name].length;
  }
  const hrZeroUs = us() - performance.now() * 1000; // hrtime at process start
  await lib.finish();
  process.stdout.write('\n@@profile ' + JSON.stringify({ cfg, marks, spans, phases, warmRuns, hrZeroUs }) + '\n');
  process.exit(0);
} catch (err) {
  process.stdout.write('\n@@profile ' + JSON.stringify({ cfg, error: String(err?.stack ?? err) }) + '\n');
  process.exit(1);
}
