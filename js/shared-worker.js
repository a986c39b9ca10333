// The SharedWorker behind load({shared: true}) (the tab's side is
// js/shared-client.js): it loads each model once, whatever the number of
// tabs asking for it, and serves their engine calls from that one engine.
//
// An engine belongs to the tabs connected to it. A tab leaves by dispose(),
// by closing, or by crashing (its Web Lock is then released: see
// shared-client.js); the others keep theirs. When the last one leaves, the
// engine is stopped and its memory freed, and a load still in progress is
// aborted. The next tab to ask loads it again.

import { openEngine } from "./index.js";
import { serializeError } from "./errors.js";

// What makes two requests the same engine; the rest (cache, retries) only
// says how the first tab would like the file fetched.
const KEY = ["model", "workers", "parallel", "integrity", "engineURL", "wasm", "workerURL"];

/** key → {key, ready: Promise<engine>, clients: Set<MessagePort>, controller, progress} */
const engines = new Map();
/** key → how many times this worker loaded that model (stays after the engine is freed). */
const loads = new Map();

self.addEventListener("connect", (e) => serve(e.ports[0]));

function serve(port) {
  let entry = null;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    if (entry) release(entry, port);
    port.close();
  };
  const dispatch = async (op, args) => {
    if (op === "open") {
      if (entry) throw new Error("wasmbert: shared: this port already opened a model");
      const [options, lockName] = args;
      entry = join(options, port);
      // Granted once the tab no longer holds it: closed, crashed, or disposed.
      if (lockName) navigator.locks.request(lockName, leave).catch(leave);
      const { backend, info, workers, parallel } = await entry.ready;
      return { info, workers, parallel, size: backend.size };
    }
    if (!entry || left) throw new Error("wasmbert: shared: no model opened on this port");
    const { backend } = await entry.ready;
    if (op === "run") return backend.run(...args);
    if (op === "runSplit") return backend.runSplit(...args);
    throw new Error(`wasmbert: shared: unknown op ${op}`);
  };
  port.addEventListener("message", async ({ data: { id, op, args } }) => {
    if (op === "close") return leave();
    try {
      const value = await dispatch(op, args);
      port.postMessage({ id, ok: true, value }, value?.data instanceof Float32Array ? [value.data.buffer] : []);
    } catch (err) {
      port.postMessage({ id, ok: false, error: serializeError(err) });
    }
  });
  port.start();
}

// Adds port to the engine for options, starting its load if none is running.
function join(options, port) {
  const key = JSON.stringify(KEY.map((k) => options[k] ?? null));
  let entry = engines.get(key);
  if (!entry) {
    const controller = new AbortController();
    entry = { key, clients: new Set(), controller, progress: null };
    const onProgress = (ev) => {
      entry.progress = ev;
      broadcast(entry, { event: "progress", value: ev });
    };
    loads.set(key, (loads.get(key) ?? 0) + 1);
    entry.ready = openEngine({ ...options, signal: controller.signal, onProgress });
    entry.ready.catch(() => {
      // The next tab asking tries again.
      if (engines.get(key) === entry) engines.delete(key);
    });
    engines.set(key, entry);
  }
  entry.clients.add(port);
  if (entry.progress) port.postMessage({ event: "progress", value: entry.progress });
  sendStats(entry);
  return entry;
}

function release(entry, port) {
  if (!entry.clients.delete(port)) return;
  if (entry.clients.size > 0) return sendStats(entry);
  if (engines.get(entry.key) === entry) engines.delete(entry.key);
  entry.controller.abort(new DOMException("wasmbert: every tab sharing the model left", "AbortError"));
  entry.ready.then(({ backend }) => backend.close(), () => {});
}

function sendStats(entry) {
  broadcast(entry, { event: "stats", value: { clients: entry.clients.size, loads: loads.get(entry.key) } });
}

function broadcast(entry, msg) {
  for (const p of entry.clients) p.postMessage(msg);
}
