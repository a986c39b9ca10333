// Runs inside Chromium: exposes window.run(options) for the test driver.
import { load } from "/js/index.js";

window.run = async ({ model, workers, texts }) => {
  const events = [];
  const t0 = performance.now();
  const bert = await load({ model, workers, onProgress: (e) => events.push(e) });
  const loadMs = performance.now() - t0;
  try {
    const vectors = await bert.embed(texts);
    document.getElementById("out").textContent = `workers=${workers} dims=${vectors[0]?.length} load=${loadMs.toFixed(0)}ms`;
    return { events, loadMs, info: bert.info(), vectors: vectors.map((v) => Array.from(v)) };
  } finally {
    bert.dispose();
  }
};

// Throughput: tokens embedded per second over repeated batches.
window.bench = async ({ model, workers, texts, rounds }) => {
  const bert = await load({ model, workers });
  try {
    await bert.embed(texts);
    let tokens = 0;
    for (const t of texts) tokens += (await bert.tokenize(t)).ids?.length ?? 0;
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) await bert.embed(texts);
    const s = (performance.now() - t0) / 1000;
    return { tokensPerSecond: (tokens * rounds) / s, seconds: s };
  } finally {
    bert.dispose();
  }
};
// The library inside a dedicated Web Worker or a SharedWorker.
window.runInWorker = ({ kind, model, texts }) =>
  new Promise((resolve, reject) => {
    const url = "/test/worker-client.js";
    const w = kind === "shared" ? new SharedWorker(url, { type: "module" }) : new Worker(url, { type: "module" });
    const port = kind === "shared" ? w.port : w;
    w.onerror = (e) => reject(new Error(`${kind} worker: ${e.message ?? "error"}`));
    port.onmessage = (e) => {
      if (kind === "shared") port.close();
      else w.terminate();
      resolve(e.data);
    };
    port.postMessage({ model, texts });
  });

window.ready = true;
