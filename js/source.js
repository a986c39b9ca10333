// Opening the model bytes: from memory, a Blob, a file (Node), the cache or
// the network. Every source is returned as a ReadableStream of Uint8Array
// chunks plus the expected total, so the engine can build itself while the
// bytes arrive.

import { isNode } from "./runtime.js";

/**
 * Opens model, an ArrayBuffer, a typed array, a Blob, a URL or a URL string
 * (in Node also a file path). Returns {url, total, body, cached, cacheable}.
 */
export async function openSource(model, { signal, cache }) {
  if (model instanceof ArrayBuffer || ArrayBuffer.isView(model)) {
    const bytes = model instanceof ArrayBuffer ? new Uint8Array(model) : new Uint8Array(model.buffer, model.byteOffset, model.byteLength);
    return { url: null, total: bytes.byteLength, body: new Blob([bytes]).stream(), cached: false, cacheable: false };
  }
  if (typeof Blob !== "undefined" && model instanceof Blob) {
    return { url: null, total: model.size, body: model.stream(), cached: false, cacheable: false };
  }
  if (typeof model !== "string" && !(model instanceof URL)) {
    throw new TypeError("wasmbert: model must be a URL, a URL string or the model bytes (ArrayBuffer, Uint8Array, Blob)");
  }
  const url = resolveURL(model);
  if (url.protocol === "file:") {
    if (!isNode) throw new TypeError(`wasmbert: cannot read ${url.href} outside Node`);
    const [fs, { Readable }] = await Promise.all([import("node:fs"), import("node:stream")]);
    let st;
    try {
      st = await fs.promises.stat(url);
    } catch (err) {
      throw new Error(`wasmbert: open ${url.href}: ${err.message}`, { cause: err });
    }
    const body = Readable.toWeb(fs.createReadStream(url, { highWaterMark: 1 << 20, signal }));
    return { url, total: st.size, body, cached: false, cacheable: false };
  }
  const hit = cache ? await cache.get(url.href) : null;
  if (hit) return { url, total: hit.total, body: hit.body, cached: true, cacheable: false };
  let res;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    if (err?.name === "AbortError") throw err;
    throw new Error(`wasmbert: fetch ${url.href}: ${err.message}`, { cause: err });
  }
  if (!res.ok) {
    res.body?.cancel().catch(() => {});
    throw new Error(`wasmbert: fetch ${url.href}: HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}`);
  }
  if (!res.body) throw new Error(`wasmbert: fetch ${url.href}: empty response body`);
  // With a content encoding the header counts compressed bytes, not ours.
  const encoded = (res.headers.get("content-encoding") ?? "identity") !== "identity";
  const total = encoded ? 0 : Number(res.headers.get("content-length")) || 0;
  return { url, total, body: res.body, cached: false, cacheable: true };
}

/** Resolves a model or engine location against the page (web) or the working directory (Node). */
export function resolveURL(u) {
  if (u instanceof URL) return u;
  try {
    return new URL(u);
  } catch {
    // Not absolute: relative to the page in web runtimes, a file path in Node.
  }
  if (isNode) {
    const path = globalThis.process.cwd().replace(/\\/g, "/");
    const abs = u.startsWith("/") ? u : `${path}/${u}`;
    return new URL("file://" + (abs.startsWith("/") ? "" : "/") + abs.split("/").map(encodeURIComponent).join("/"));
  }
  const base = globalThis.location?.href;
  if (!base) throw new TypeError(`wasmbert: ${JSON.stringify(u)} is not an absolute URL`);
  return new URL(u, base);
}

/**
 * Iterates body as Uint8Array chunks of about size bytes (small network
 * chunks are joined, so each hop to a worker and into Go carries enough work).
 */
export async function* rechunk(body, size, signal) {
  const reader = body.getReader();
  const onAbort = () => reader.cancel(signal.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  let parts = [];
  let n = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      if (!value?.byteLength) continue;
      parts.push(value);
      n += value.byteLength;
      if (n >= size) {
        yield concat(parts, n);
        parts = [];
        n = 0;
      }
    }
    if (n > 0) yield concat(parts, n);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // A consumer that stops early (error, abort) must not leave the download running.
    if (!finished) reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
}

function concat(parts, n) {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
