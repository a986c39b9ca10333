// Opening the model bytes: from memory, a Blob, a file (Node), the cache or
// the network. Every source is returned as a ReadableStream of Uint8Array
// chunks plus the expected total, so the engine can build itself while the
// bytes arrive.

import { abortError } from "./errors.js";
import { isNode } from "./runtime.js";

// Consecutive network failures (drops, stalls) tolerated per download.
const DEFAULT_RETRIES = 4;
// A response that sends nothing for this long counts as a dropped connection.
const DEFAULT_STALL_TIMEOUT = 30_000;

/**
 * Opens model, an ArrayBuffer, a typed array, a Blob, a URL or a URL string
 * (in Node also a file path). Returns {url, total, body, cached, cacheable}.
 * retries and stallTimeout (ms) tune the network download (see Download).
 */
export async function openSource(model, { signal, cache, retries, stallTimeout }) {
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
  const dl = await Download.start(url, { signal, retries, stallTimeout });
  return { url, total: dl.total, body: dl.stream(), cached: false, cacheable: true };
}

/**
 * One model download that survives faulty networks: a dropped or stalled
 * response is resumed with a Range request (If-Range pins the ETag or
 * Last-Modified of the first response) or, when the server answers 200,
 * fetched again from the start with the bytes already delivered skipped, so
 * the stream the engine reads is continuous and progress stays monotonic.
 * HTTP errors are final; network failures are retried a bounded number of times.
 */
class Download {
  #url;
  #signal;
  #retries;
  #stallTimeout;
  #validator = null; // ETag (strong only) or Last-Modified of the first response
  #etag = null;
  #resumable = true;
  #attempt = null; // {controller, reader}
  #delivered = 0;
  #skip = 0; // bytes of a restarted response already delivered
  #failures = 0;
  total = 0;

  static async start(url, { signal, retries = DEFAULT_RETRIES, stallTimeout = DEFAULT_STALL_TIMEOUT }) {
    if (!Number.isInteger(retries) || retries < 0) throw new TypeError("wasmbert: retries must be an integer >= 0");
    if (typeof stallTimeout !== "number" || !(stallTimeout > 0)) throw new TypeError("wasmbert: stallTimeout must be a number of milliseconds > 0");
    const d = new Download(url, signal, retries, stallTimeout);
    for (;;) {
      try {
        const res = await d.#request(null);
        d.#first(res);
        return d;
      } catch (err) {
        await d.#retryOrThrow(err);
      }
    }
  }

  constructor(url, signal, retries, stallTimeout) {
    this.#url = url;
    this.#signal = signal;
    this.#retries = retries;
    this.#stallTimeout = stallTimeout;
  }

  stream() {
    return new ReadableStream({
      pull: (controller) => this.#pull(controller),
      cancel: () => this.#attempt?.controller.abort(),
    });
  }

  // An answer from the server that another try would not change.
  #fail(what) {
    const err = new Error(`wasmbert: fetch ${this.#url.href}: ${what}`);
    err.final = true;
    return err;
  }

  #first(res) {
    const h = res.headers;
    // Content-Length counts encoded bytes under a content encoding, and a
    // Range would address those too: such responses only restart.
    const encoded = (h.get("content-encoding") ?? "identity") !== "identity";
    this.total = encoded ? 0 : Number(h.get("content-length")) || 0;
    this.#resumable = !encoded;
    const etag = h.get("etag");
    this.#etag = etag;
    // If-Range takes only a strong validator.
    this.#validator = etag && !etag.startsWith("W/") ? etag : h.get("last-modified");
    this.#attempt.reader = res.body.getReader();
  }

  // Sends the request of one attempt; from > 0 asks for the rest of the file.
  async #request(from) {
    const controller = new AbortController();
    const onAbort = () => controller.abort(this.#signal.reason);
    this.#signal?.addEventListener("abort", onAbort, { once: true });
    this.#attempt = { controller, reader: null, onAbort };
    const headers = {};
    if (from) {
      headers.range = `bytes=${from}-`;
      if (this.#validator) headers["if-range"] = this.#validator;
    }
    let res;
    try {
      res = await this.#stallGuard(fetch(this.#url, { signal: controller.signal, headers }), "no response");
    } catch (err) {
      this.#signal?.removeEventListener("abort", onAbort);
      throw err;
    }
    if (!res.ok) {
      res.body?.cancel().catch(() => {});
      throw this.#fail(`HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}${from ? ` resuming at byte ${from}` : ""}`);
    }
    if (!res.body) throw this.#fail("empty response body");
    return res;
  }

  // Picks up after a failure at #delivered bytes.
  async #resume() {
    const from = this.#delivered;
    const res = await this.#request(this.#resumable ? from : null);
    const h = res.headers;
    if (res.status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(h.get("content-range") ?? "");
      const total = m && m[3] !== "*" ? Number(m[3]) : 0;
      if (m && this.total && total && total !== this.total) {
        res.body.cancel().catch(() => {});
        throw this.#fail(`size changed: ${this.total} bytes announced first, now ${total} (Content-Range ${JSON.stringify(h.get("content-range"))})`);
      }
      if (!m || Number(m[1]) !== from) {
        res.body.cancel().catch(() => {});
        throw this.#fail(`bad range response: asked for bytes ${from}-, got Content-Range ${JSON.stringify(h.get("content-range"))}`);
      }
      this.#skip = 0;
    } else {
      // A full response: the same file from the start, unless it changed.
      const etag = h.get("etag");
      const length = Number(h.get("content-length")) || 0;
      if ((this.#etag && etag && etag !== this.#etag) || (this.total && length && this.#resumable && length !== this.total)) {
        res.body.cancel().catch(() => {});
        throw this.#fail(`the file changed on the server during the download (after ${from} bytes)`);
      }
      this.#skip = from;
    }
    this.#attempt.reader = res.body.getReader();
  }

  async #pull(controller) {
    for (;;) {
      try {
        const { done, value } = await this.#stallGuard(this.#attempt.reader.read(), "stalled");
        if (done) {
          if (this.total && this.#delivered < this.total) {
            throw new Error(`connection closed after ${this.#delivered} of ${this.total} bytes`);
          }
          this.#release();
          controller.close();
          return;
        }
        let chunk = value;
        if (this.#skip) {
          const n = Math.min(this.#skip, chunk.byteLength);
          this.#skip -= n;
          chunk = chunk.subarray(n);
        }
        if (!chunk.byteLength) continue;
        if (this.total && this.#delivered + chunk.byteLength > this.total) {
          throw this.#fail(`more bytes than the ${this.total} announced`);
        }
        this.#delivered += chunk.byteLength;
        this.#failures = 0; // the budget is for consecutive failures: progress resets it
        controller.enqueue(chunk);
        return;
      } catch (err) {
        try {
          await this.#recover(err);
        } catch (final) {
          this.#release();
          controller.error(final);
          return;
        }
      }
    }
  }

  // Resumes after err, retrying failed resumes, or throws the final error.
  async #recover(err) {
    for (;;) {
      await this.#retryOrThrow(err);
      try {
        return await this.#resume();
      } catch (again) {
        err = again;
      }
    }
  }

  // Rethrows err when it is final or the retries are used up; otherwise it
  // was a network failure (drop, stall, reset) and this waits a little before
  // the next attempt.
  async #retryOrThrow(err) {
    this.#release();
    this.#attempt?.controller.abort();
    if (this.#signal?.aborted) throw abortError(this.#signal);
    if (err?.final) throw err;
    if (this.#failures >= this.#retries) {
      const of = this.total ? ` of ${this.total}` : "";
      const why = err?.cause?.message && err.cause.message !== err.message ? `${err.message} (${err.cause.message})` : (err?.message ?? String(err));
      throw new Error(
        `wasmbert: fetch ${this.#url.href}: ${why}; gave up after ${this.#retries} retries (${this.#delivered}${of} bytes received)`,
        { cause: err },
      );
    }
    this.#failures++;
    await sleep(Math.min(100 * 2 ** (this.#failures - 1), 2000), this.#signal);
  }

  // Rejects with a retryable stall error when p takes longer than stallTimeout.
  #stallGuard(p, what) {
    let timer;
    const stall = new Promise((_, reject) => {
      const arm = () => {
        const due = Date.now() + this.#stallTimeout;
        timer = setTimeout(() => {
          // A timer that fires late means this thread was busy (building the
          // model, say) and bytes may be waiting unread: give them a period.
          if (Date.now() - due > 100) return arm();
          reject(new Error(`${what}: nothing received for ${this.#stallTimeout} ms`));
          this.#attempt.controller.abort();
        }, this.#stallTimeout);
      };
      arm();
    });
    return Promise.race([p, stall]).finally(() => clearTimeout(timer));
  }

  #release() {
    if (this.#attempt) this.#signal?.removeEventListener("abort", this.#attempt.onAbort);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", done);
      clearTimeout(t);
      signal?.aborted ? reject(abortError(signal)) : resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
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
