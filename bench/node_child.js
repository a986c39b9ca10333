// node_child.js measures one library in one configuration in a fresh Node
// process, so that cold start and peak RSS belong to that library alone.
//
//   node bench/node_child.js '{"lib":"transformersjs","backend":"wasm","precision":"int8","threads":1,"mode":"full"}'
//
// Prints one JSON line: the measures of workload.js plus peak RSS.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { run } from './workload.js';
import { transformersjs, wasmbert } from './libs.js';
import { paths, loadData, tjsOrtWeb } from './paths.js';

const cfg = JSON.parse(process.argv[2]);
const now = () => performance.now(); // ms since this process started

async function opener() {
  if (cfg.lib === 'transformersjs') {
    let device = 'cpu';
    let sessionOptions = { intraOpNumThreads: cfg.threads, interOpNumThreads: 1 };
    if (cfg.backend === 'wasm') {
      // Transformers.js 4.3 in Node always binds onnxruntime-node unless an ORT
      // is registered under Symbol.for("onnxruntime") before it is imported. With
      // one registered it knows no device names, so device "auto" (an empty list
      // of execution providers) plus an explicit ["wasm"] is how to select WASM.
      globalThis[Symbol.for('onnxruntime')] = await import(tjsOrtWeb.node);
      device = 'auto';
      sessionOptions = { executionProviders: ['wasm'] };
    }
    const tjs = await import('@huggingface/transformers');
    // Its wasm cache fetches the wasm files by URL; Node loads them from disk.
    tjs.env.useWasmCache = false;
    if (cfg.backend === 'wasm' && tjs.env.backends.onnx.versions?.web === undefined) {
      throw new Error('transformersjs: onnxruntime-web was not picked up');
    }
    return transformersjs(tjs, {
      precision: cfg.precision,
      threads: cfg.threads,
      localModelPath: paths.models + '/',
      wasmPaths: cfg.backend === 'wasm' ? tjsOrtWeb.wasmPaths : undefined,
      device,
      sessionOptions,
    });
  }
  if (cfg.lib === 'wasmbert') {
    const lib = await import(pathToFileURL(paths.wasmbertIndex).href);
    return wasmbert(lib, {
      model: pathToFileURL(paths.wbm(cfg.precision)).href,
      threads: cfg.threads,
      parallel: cfg.parallel,
      // run.js empties this before the uncached run; the cached run finds it filled.
      cache: { dir: paths.wasmbertCache },
    });
  }
  throw new Error(`unknown lib ${cfg.lib}`);
}

try {
  const data = loadData(readFileSync);
  const out = await run(await opener(), data, {
    mode: cfg.mode,
    iterations: cfg.iterations ?? 20,
    limit: cfg.limit,
    memory: async () => process.resourceUsage().maxRSS * 1024,
  }, now);
  out.peak_memory_kind = 'maxRSS';
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
} catch (err) {
  process.stdout.write(JSON.stringify({ error: String(err?.stack ?? err) }) + '\n');
  process.exit(1);
}
