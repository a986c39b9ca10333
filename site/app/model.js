// The model panel: pick the int8 or f32 file, load it with a progress bar,
// and see which files are already in the browser's cache. The library keeps
// verified model files in a Cache API store; the page names that store
// itself so it can report on it and the service worker can leave it alone.

import { load, version } from "../lib/index.js";
import { formatBytes } from "./format.js";

/** The Cache API store holding model files (shared with sw.js by name prefix). */
export const MODEL_CACHE = `wasmbert-site-models-v${version}`;

export function createModelPanel({ onLoaded }) {
  const choices = document.getElementById("model-choices");
  const loadButton = document.getElementById("model-load");
  const clearButton = document.getElementById("model-clear");
  const bar = document.getElementById("model-progress");
  const barLabel = document.getElementById("model-progress-label");
  const status = document.getElementById("model-status");
  let models = [];
  let loading = null;

  const selected = () => models.find((m) => m.id === choices.querySelector("input:checked")?.value);

  async function refreshCache() {
    const store = "caches" in globalThis ? await caches.open(MODEL_CACHE) : null;
    for (const m of models) {
      const hit = await store?.match(new URL(m.url, location.href).href);
      const bytes = Number(hit?.headers.get("content-length")) || 0;
      const note = choices.querySelector(`[data-cache="${m.id}"]`);
      note.dataset.cached = String(Boolean(hit));
      note.textContent = hit ? `cached, ${formatBytes(bytes)}` : `not cached, ${formatBytes(m.bytes)} download`;
    }
  }

  function progress({ phase, loaded, total }) {
    const names = {
      compile: "Compiling the engine",
      download: "Downloading",
      build: "Building the model",
      heal: "The cached copy was damaged; downloading it again",
    };
    bar.max = total || 1;
    bar.value = loaded;
    const size = phase === "compile" || phase === "heal" ? "" : ` ${formatBytes(loaded)} of ${formatBytes(total)}`;
    barLabel.textContent = `${names[phase] ?? phase}${size}`;
  }

  async function loadSelected() {
    const m = selected();
    if (!m || loading) return;
    loading = new AbortController();
    loadButton.disabled = true;
    status.className = "";
    status.textContent = `Loading ${m.label}…`;
    const t0 = performance.now();
    try {
      onLoaded(null);
      const bert = await load({
        model: m.url,
        engineURL: "engine/",
        integrity: m.integrity,
        cache: { name: MODEL_CACHE },
        onProgress: progress,
        signal: loading.signal,
      });
      const info = bert.info();
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      barLabel.textContent = "Ready";
      bar.value = bar.max;
      status.textContent = `${m.label}: ${info.dim} dimensions, ${info.layers} layers, ${info.workers} worker(s), loaded in ${secs} s.`;
      document.body.dataset.model = m.id;
      onLoaded(bert);
    } catch (err) {
      status.className = "error";
      status.textContent = `Could not load ${m.label}: ${err.message}`;
      barLabel.textContent = "Not loaded";
      delete document.body.dataset.model;
    } finally {
      loading = null;
      loadButton.disabled = false;
      await refreshCache().catch(() => {});
    }
  }

  async function clearCache() {
    await caches.delete(MODEL_CACHE);
    await refreshCache();
    status.textContent = "Cached model files removed.";
  }

  async function init() {
    const res = await fetch("models.json");
    if (!res.ok) throw new Error(`models.json: HTTP ${res.status}`);
    ({ models } = await res.json());
    choices.replaceChildren(
      ...models.map((m, i) => {
        const label = document.createElement("label");
        const input = Object.assign(document.createElement("input"), { type: "radio", name: "model", value: m.id, checked: i === 0 });
        const note = Object.assign(document.createElement("span"), { className: "cache" });
        note.dataset.cache = m.id;
        label.append(input, ` ${m.label} `, note);
        return label;
      }),
    );
    await refreshCache();
  }

  loadButton.addEventListener("click", loadSelected);
  clearButton.addEventListener("click", () => clearCache().catch((err) => (status.textContent = err.message)));
  const ready = init().catch((err) => {
    status.className = "error";
    status.textContent = `Cannot list the models: ${err.message}`;
  });
  return { ready };
}
