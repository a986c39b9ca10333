// Runs the library inside a dedicated Web Worker or a SharedWorker (the same
// file serves both) with workers: 0, and answers {model, texts} with the
// vectors, or with {error} when anything fails.
import { load } from "/js/index.js";

async function run({ model, texts }) {
  try {
    const bert = await load({ model, workers: 0, cache: false });
    try {
      const vectors = await bert.embed(texts);
      return { info: bert.info(), vectors: vectors.map((v) => Array.from(v)) };
    } finally {
      bert.dispose();
    }
  } catch (err) {
    return { error: `${err?.name}: ${err?.message}` };
  }
}

if (typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope) {
  self.addEventListener("connect", (e) => {
    const port = e.ports[0];
    port.onmessage = async (m) => port.postMessage(await run(m.data));
  });
} else {
  self.onmessage = async (m) => self.postMessage(await run(m.data));
}
