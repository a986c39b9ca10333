// load({shared: true}): the tab's side of an engine hosted by a SharedWorker
// (js/shared-worker.js), so that the tabs of one origin hold one copy of the
// weights between them instead of one each. The tab gets an ordinary
// Wasmbert whose backend forwards the engine calls through a MessagePort;
// tokenizing, pooling options, search and the heads stay in the tab.
//
// Port protocol: requests {id, op, args} with op "open", "run", "runSplit"
// or "close"; replies {id, ok: true, value} or {id, ok: false, error};
// events {event: "progress" | "stats", value} that the host sends unasked.
//
// A tab that is closed or crashes cannot say goodbye over its port, so each
// connection holds a Web Lock for its lifetime: the host queues for the
// same lock and is granted it exactly when the tab is gone (or disposed).

import { abortError, reviveError, throwIfAborted } from "./errors.js";
import { isNode } from "./runtime.js";
import { resolveURL } from "./source.js";

/** Name of the SharedWorker when shared is true. */
const DEFAULT_NAME = "wasmbert";

/** The SharedWorker script next to this file (a function: see defaultEngineURL). */
export function defaultSharedWorkerURL() {
  return new URL("./shared-worker.js", import.meta.url);
}

/**
 * Connects to (or starts) the SharedWorker named by options.shared, asks it
 * for the model, and resolves to wrap({backend, info, workers, parallel}).
 */
export async function loadShared(options, wrap) {
  const name = sharedName(options.shared);
  if (typeof SharedWorker !== "function") {
    throw new Error(
      isNode
        ? "wasmbert: shared: Node has no SharedWorker; load without shared (one process already serves all its callers from one engine)"
        : "wasmbert: shared: this runtime has no SharedWorker; load without shared",
    );
  }
  const { signal, onProgress } = options;
  if (onProgress !== undefined && typeof onProgress !== "function") throw new TypeError("wasmbert: onProgress must be a function");
  const request = hostOptions(options);
  throwIfAborted(signal);

  const url = options.sharedWorkerURL === undefined ? defaultSharedWorkerURL() : resolveURL(options.sharedWorkerURL);
  const worker = new SharedWorker(url, { type: "module", name });
  const conn = new Connection(worker.port, name, onProgress);
  worker.addEventListener("error", () => conn.fail(new Error(`wasmbert: shared: the SharedWorker ${url.href} failed to start`)));
  const onAbort = () => conn.fail(abortError(signal));
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const lock = await holdLock();
    conn.lock = lock;
    const opened = await conn.call("open", [request, lock?.name ?? null]);
    throwIfAborted(signal);
    const backend = new SharedBackend(conn, opened.size);
    return wrap({ backend, info: opened.info, workers: opened.workers, parallel: opened.parallel });
  } catch (err) {
    conn.close();
    if (signal?.aborted) throw abortError(signal);
    throw err;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

function sharedName(shared) {
  if (shared === true) return DEFAULT_NAME;
  if (typeof shared === "string" && shared !== "") return shared;
  throw new TypeError("wasmbert: shared must be true or a non-empty name");
}

// The load options the host needs, as plain data: URLs become absolute
// strings (the host resolves nothing against the tab's location), and what
// cannot cross a port is refused with the reason.
function hostOptions(options) {
  const out = {};
  const { model } = options;
  if (model === undefined || model === null) throw new TypeError("wasmbert: load() needs a model (URL or bytes)");
  if (typeof model !== "string" && !(model instanceof URL)) {
    throw new TypeError("wasmbert: shared: the model must be a URL (bytes would be copied into every tab, which sharing avoids)");
  }
  out.model = resolveURL(model).href;
  for (const k of ["engineURL", "wasm", "workerURL"]) {
    const v = options[k];
    if (v === undefined) continue;
    if (typeof v !== "string" && !(v instanceof URL)) throw new TypeError(`wasmbert: shared: ${k} must be a URL`);
    out[k] = resolveURL(v).href;
  }
  for (const k of ["workers", "parallel", "integrity", "retries", "stallTimeout"]) {
    if (options[k] !== undefined) out[k] = options[k];
  }
  if (options.cache !== undefined) {
    if (typeof options.cache !== "boolean" && typeof options.cache?.name !== "string") {
      throw new TypeError("wasmbert: shared: cache must be a boolean or {name}");
    }
    out.cache = typeof options.cache === "boolean" ? options.cache : { name: options.cache.name };
  }
  return out;
}

// Holds a Web Lock until release(); null where Web Locks are unavailable
// (then only dispose() tells the host that this tab is done).
async function holdLock() {
  const locks = globalThis.navigator?.locks;
  if (!locks) return null;
  const name = `wasmbert-shared-${crypto.randomUUID()}`;
  let release;
  const held = new Promise((r) => (release = r));
  await new Promise((acquired, failed) => {
    locks.request(name, () => {
      acquired();
      return held;
    }).catch(failed);
  });
  return { name, release };
}

// One port to the host: numbered calls, and the events it sends unasked.
class Connection {
  #port;
  #pending = new Map();
  #nextId = 0;
  #onProgress;
  #failure = null;
  #closed = false;
  lock = null;
  stats = { clients: 0, loads: 0 };
  constructor(port, name, onProgress) {
    this.#port = port;
    this.name = name;
    this.#onProgress = onProgress;
    port.addEventListener("message", (e) => this.#receive(e.data));
    port.addEventListener("messageerror", () => this.fail(new Error("wasmbert: shared: a message from the SharedWorker could not be read")));
    port.start();
  }
  #receive({ id, ok, value, error, event }) {
    if (event === "progress") return this.#onProgress?.(value);
    if (event === "stats") return void (this.stats = value);
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    ok ? p.resolve(value) : p.reject(reviveError(error));
  }
  call(op, args) {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#port.postMessage({ id, op, args });
    });
  }
  /** Fails every pending and later call with err. */
  fail(err) {
    this.#failure ??= err;
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
  }
  /** Leaves the host (which frees the engine when no tab is left). */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.postMessage({ id: -1, op: "close", args: [] });
    this.#failure = new Error("wasmbert: disposed");
    this.fail(this.#failure);
    this.#port.close();
    this.lock?.release();
  }
}

// The backend of a Wasmbert whose engine is in the SharedWorker: the pool's
// interface (size, run, runSplit, close), forwarded.
class SharedBackend {
  #conn;
  #size;
  constructor(conn, size) {
    this.#conn = conn;
    this.#size = size;
  }
  get size() {
    return this.#size;
  }
  run(op, args) {
    return this.#conn.call("run", [op, args]);
  }
  runSplit(text, opts, split) {
    return this.#conn.call("runSplit", [text, opts, split]);
  }
  /** What info() adds: the SharedWorker's name, tabs connected, and how often it loaded this model. */
  describe() {
    return { shared: { name: this.#conn.name, ...this.#conn.stats } };
  }
  close() {
    this.#conn.close();
  }
}
