// The model panel: pick a model file (int8, int4 or f32), load it with a
// progress bar, and see which files are already in the browser's cache.
// The library keeps verified model files in a Cache API store; the page
// names that store itself so it can report on it and remove it, and the
// server sends model files with Cache-Control: no-store, so that store is
// the only copy the browser keeps.
//
// The model in use stays in use until a newly chosen one is ready: a load
// that fails (offline, say) leaves the page working.

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
  let current = null; // the model entry in use

  const selected = () => models.find((m) => m.id === choices.querySelector("input:checked")?.value);

  /** Updates each model's cache note; resolves to the ids that are cached. */
  async function refreshCache() {
    const store = "caches" in globalThis ? await caches.open(MODEL_CACHE) : null;
    const cached = new Set();
    for (const m of models) {
      const hit = await store?.match(new URL(m.url, location.href).href);
      const bytes = Number(hit?.headers.get("content-length")) || 0;
      const note = choices.querySelector(`[data-cache="${m.id}"]`);
      note.dataset.cached = String(Boolean(hit));
      note.textContent = hit ? `cached, ${formatBytes(bytes)}` : `not cached, ${formatBytes(m.bytes)} download`;
      if (hit) cached.add(m.id);
    }
    return cached;
  }

  // The library reports the file's bytes as they arrive (download) and as
  // the engine has consumed them (build); the two overlap. The label names
  // the step that is behind: downloading until every byte is in, then
  // building; "reading" when the bytes come from the cache.
  function progressReporter(fromCache) {
    let downloaded = 0;
    return ({ phase, loaded, total }) => {
      if (phase === "heal") {
        downloaded = 0;
        barLabel.textContent = "The cached copy was damaged; downloading it again";
        return;
      }
      if (phase === "compile") {
        barLabel.textContent = "Compiling the engine";
        bar.removeAttribute("value");
        return;
      }
      if (phase === "download") downloaded = loaded;
      const fetching = downloaded < total;
      if (phase === "build" && fetching) return;
      bar.max = total || 1;
      bar.value = loaded;
      const step = phase === "download" ? (fromCache ? "Reading from the cache" : "Downloading") : "Building the model";
      barLabel.textContent = `${step} ${formatBytes(loaded)} of ${formatBytes(total)}`;
    };
  }

  async function loadSelected() {
    const m = selected();
    if (!m || loading) return;
    loading = new AbortController();
    loadButton.disabled = true;
    status.className = "";
    status.textContent = current ? `Loading ${m.label}; ${current.label} stays in use until it is ready…` : `Loading ${m.label}…`;
    const fromCache = choices.querySelector(`[data-cache="${m.id}"]`)?.dataset.cached === "true";
    const t0 = performance.now();
    try {
      const bert = await load({
        model: m.url,
        engineURL: "engine/",
        integrity: m.integrity,
        cache: { name: MODEL_CACHE },
        onProgress: progressReporter(fromCache),
        signal: loading.signal,
      });
      const info = bert.info();
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      barLabel.textContent = `Ready: ${m.label}`;
      bar.max = 1;
      bar.value = 1;
      status.textContent = `${m.label}: ${info.dim} dimensions, ${info.layers} layers, ${info.workers} worker(s), loaded in ${secs} s.`;
      current = m;
      document.body.dataset.model = m.id;
      onLoaded(bert);
    } catch (err) {
      status.className = "error";
      status.textContent = current
        ? `Could not load ${m.label}: ${err.message}. Still using ${current.label}.`
        : `Could not load ${m.label}: ${err.message}`;
      barLabel.textContent = current ? `Ready: ${current.label}` : "No model loaded";
      bar.max = 1;
      bar.value = current ? 1 : 0;
    } finally {
      loading = null;
      loadButton.disabled = false;
      await refreshCache().catch(() => {});
    }
  }

  async function clearCache() {
    await caches.delete(MODEL_CACHE);
    await refreshCache();
    status.className = "";
    status.textContent = current
      ? `Cached model files removed from this browser; ${current.label} stays in memory until you leave the page.`
      : "Cached model files removed from this browser.";
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
        const fidelity = Object.assign(document.createElement("small"), { className: "fidelity", textContent: m.fidelity ?? "" });
        label.append(input, ` ${m.label} `, note, fidelity);
        return label;
      }),
    );
    // A cached default costs no download: load it at once.
    const cached = await refreshCache();
    if (cached.has(selected()?.id)) loadSelected();
  }

  loadButton.addEventListener("click", loadSelected);
  clearButton.addEventListener("click", () => clearCache().catch((err) => (status.textContent = err.message)));
  const ready = init().catch((err) => {
    status.className = "error";
    status.textContent = `Cannot list the models: ${err.message}`;
  });
  return { ready };
}
