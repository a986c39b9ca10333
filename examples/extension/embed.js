// The extension page: loads the packaged model with the packaged engine
// (wasmbert/ mirrors the npm package: js/ and dist/engine/, so the library
// finds the engine and its worker script next to itself). The extension
// CSP allows 'wasm-unsafe-eval' and nothing else beyond 'self'.
import { load } from "./wasmbert/js/index.js";

const status = document.getElementById("status");
const bertP = load({
  model: chrome.runtime.getURL("models/model.wbm"),
  workers: 1,
  // Packaged files are already local; a second copy in the Cache API would only cost space.
  cache: false,
  onProgress: ({ phase, loaded, total }) => (status.textContent = `${phase} ${Math.round((100 * loaded) / (total || 1))}%`),
});
bertP.then(
  (bert) => {
    const { dim, workers } = bert.info();
    status.textContent = `ready: ${dim} dimensions, ${workers} worker`;
    document.getElementById("go").disabled = false;
  },
  (err) => (status.textContent = `failed: ${err.message}`),
);

document.getElementById("go").addEventListener("click", async () => {
  const v = await (await bertP).embed(document.getElementById("text").value);
  document.getElementById("out").textContent = `[${Array.from(v.subarray(0, 8), (x) => x.toFixed(4)).join(", ")}, …]`;
});

/** Embeds texts; returns plain arrays (used by js/test/extension.test.js). */
globalThis.embedTexts = async (texts) => (await (await bertP).embed(texts)).map((v) => Array.from(v));

/** Trains a classifier (in the packaged wasmbert-heads.wasm) and applies it (used by the test). */
globalThis.trainAndClassify = async (texts, labels, queries) => {
  const bert = await bertP;
  const head = await bert.trainClassifier(texts, labels, { epochs: 30, seed: 1 });
  return bert.classify(head, queries);
};
