// kernel_page.js runs one kernel measurement in Chromium, chosen by the cfg
// query parameter (see kernel_browser.js), and leaves the result in
// window.__kernel:
//   {kind: "ort", threads, iterations, warmup, shape, model, ortDir}
//       onnxruntime-web MatMul, timed as kernel.js times it in Node;
//   {kind: "go", wasm, wasmExec, argv}
//       the Go kernel test binary in a worker; its output comes back as lines.
import { quantile } from './workload.js';

const cfg = JSON.parse(new URLSearchParams(location.search).get('cfg'));

async function ortMatMul() {
  const ort = await import(cfg.ortDir + 'ort.wasm.min.mjs');
  // Served from node_modules: without wasmPaths onnxruntime-web looks next to
  // its script, which is the same place, but say so rather than rely on it.
  ort.env.wasm.wasmPaths = cfg.ortDir;
  ort.env.wasm.numThreads = cfg.threads;
  const res = await fetch(cfg.model);
  if (!res.ok) throw new Error(`fetch ${cfg.model}: ${res.status}`);
  const session = await ort.InferenceSession.create(new Uint8Array(await res.arrayBuffer()), { executionProviders: ['wasm'] });
  const { m, k, n } = cfg.shape;
  const x = new ort.Tensor('float32', Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)), [m, k]);
  for (let i = 0; i < cfg.warmup; i++) await session.run({ x });
  const ms = [];
  for (let i = 0; i < cfg.iterations; i++) {
    const t = performance.now();
    await session.run({ x });
    ms.push(performance.now() - t);
  }
  const p50 = quantile(ms, 0.5);
  return {
    p50_ms: round(p50),
    p95_ms: round(quantile(ms, 0.95)),
    gflops: round((2 * m * k * n) / p50 / 1e6),
    ort_web: ort.env.versions?.web ?? null,
  };
}

function goKernel() {
  return new Promise((resolve, reject) => {
    const w = new Worker('./kernel_worker.js');
    const lines = [];
    w.onmessage = ({ data }) => {
      if (data.line !== undefined) {
        lines.push(data.line);
        console.log(data.line);
      } else if (data.error !== undefined) {
        reject(new Error(data.error));
      } else {
        w.terminate();
        resolve({ exit: data.exit, lines });
      }
    };
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage({ wasm: cfg.wasm, wasmExec: cfg.wasmExec, argv: cfg.argv });
  });
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}

try {
  const out = cfg.kind === 'ort' ? await ortMatMul() : await goKernel();
  out.cross_origin_isolated = crossOriginIsolated;
  window.__kernel = out;
} catch (err) {
  window.__kernel = { error: String(err?.stack ?? err) };
}
