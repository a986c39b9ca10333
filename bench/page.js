// page.js runs workload.js for one library and configuration in Chromium. The
// configuration comes in the query string; the result lands in window.__bench.
import { run } from './workload.js';
import { transformersjs, wasmbert, WBM_SUFFIX } from './libs.js';

const cfg = JSON.parse(new URLSearchParams(location.search).get('cfg'));
const TJS_ORT = '/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/';

async function opener() {
  if (cfg.lib === 'transformersjs') {
    // The self-contained browser bundle, as a page would load it from a CDN.
    await import('/node_modules/@huggingface/transformers/dist/transformers.min.js').then((m) => (window.__tjs = m));
    return transformersjs(window.__tjs, {
      precision: cfg.precision,
      threads: cfg.threads,
      localModelPath: '/.cache/bench/',
      // The build Transformers.js picks by default outside Safari (asyncify).
      wasmPaths: { mjs: TJS_ORT + 'ort-wasm-simd-threaded.asyncify.mjs', wasm: TJS_ORT + 'ort-wasm-simd-threaded.asyncify.wasm' },
      device: 'wasm',
    });
  }
  const lib = await import('/js/index.js');
  return wasmbert(lib, {
    model: `/dist/models/all-MiniLM-L6-v2.${WBM_SUFFIX[cfg.precision]}.wbm`,
    threads: cfg.threads,
    parallel: cfg.parallel,
    cache: true,
  });
}

async function data() {
  const get = (f) => fetch('/bench/' + f).then((r) => r.text());
  const [corpus, singles, reference] = await Promise.all([get('corpus.jsonl'), get('single_texts.json'), get('reference.json')]);
  return {
    corpus: corpus.trim().split('\n').map((l) => JSON.parse(l).text),
    singles: JSON.parse(singles),
    reference: JSON.parse(reference),
  };
}

async function memory() {
  // Counts the page, its workers and their wasm memories; needs isolation.
  if (!crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
  const m = await performance.measureUserAgentSpecificMemory();
  return m.bytes;
}

try {
  // The benchmark's own data is not part of any library's cold start: fetch it
  // first and start the clock after it, so cold start spans importing the
  // library, downloading and compiling it and the weights, and the first vector.
  const d = await data();
  const dataMs = performance.now();
  const now = () => performance.now() - dataMs;
  const out = await run(await opener(), d, { mode: cfg.mode, iterations: cfg.iterations ?? 20, limit: cfg.limit, memory }, now);
  out.cross_origin_isolated = crossOriginIsolated;
  out.peak_memory_kind = 'measureUserAgentSpecificMemory';
  window.__bench = out;
} catch (err) {
  window.__bench = { error: String(err?.stack ?? err) };
}
