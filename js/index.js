// wasmbert: BERT sentence embeddings computed client-side by a Go engine
// compiled to WebAssembly.
//
//   const bert = await load({ model: "/models/all-MiniLM-L6-v2.int8.wbm" });
//   const v = await bert.embed("hello world");           // Float32Array
//   const hits = await bert.search("query", docs, 3);    // [{index, score, text}]
//   bert.dispose();

import { VERSION } from "./version.js";
import { openCache } from "./cache.js";
import { defaultEngineURL, ensureGoRuntime, startEngine } from "./engine.js";
import { chooseEngine, compileChosen, engineOption } from "./engine-choice.js";
import { abortError, throwIfAborted } from "./errors.js";
import { digestsEqual, parseIntegrity, sha256 } from "./integrity.js";
import { Pool } from "./pool.js";
import { splitExchange, splitPlan } from "./parallel.js";
import { canSpawnWorkers, hardwareConcurrency } from "./runtime.js";
import { spansToUTF16, utf16Index } from "./offsets.js";
import { openSource, rechunk, resolveURL } from "./source.js";
import { defaultWorkerURL } from "./spawn.js";
import { HeadsRuntime, Tasks } from "./heads.js";
import { loadShared } from "./shared-client.js";
import { checkEmbedOptions, checkPrompt, checkText, checkTexts, cosine, topK } from "./vectors.js";

export { VERSION as version };

// Model bytes travel to the engine in pieces of this size: large enough that
// the per-message cost is noise, small enough to keep building while downloading.
const CHUNK = 1 << 20;
// Chunks handed to the engine but not yet consumed, before reading more.
const IN_FLIGHT = 8;

/** Loads a model and resolves to a ready Wasmbert. See index.d.ts. */
export async function load(options = {}) {
  if (options === null || typeof options !== "object") throw new TypeError("wasmbert: load() takes an options object");
  const heads = () => new HeadsRuntime({ wasm: options.headsWasm, base: engineBase(options.engineURL) });
  if (options.shared !== undefined && options.shared !== false) {
    // The engine lives in a SharedWorker (js/shared-worker.js); this tab talks to it through a port.
    return loadShared(options, ({ backend, info, workers, parallel }) => new Wasmbert(backend, info, workers, heads(), parallel));
  }
  const { backend, info, workers, parallel } = await openEngine(options);
  return new Wasmbert(backend, info, workers, heads(), parallel);
}

/**
 * Starts the engine (in this thread or a pool of workers) and streams the
 * model into it: load() without the Wasmbert around it, so that the
 * SharedWorker host can serve the same engine to many tabs.
 * Resolves to {backend, info, workers, parallel}.
 */
export async function openEngine(options) {
  const { model, onProgress, signal, integrity, engineURL, wasm, workerURL } = options;
  if (model === undefined || model === null) throw new TypeError("wasmbert: load() needs a model (URL or bytes)");
  if (onProgress !== undefined && typeof onProgress !== "function") throw new TypeError("wasmbert: onProgress must be a function");
  const expected = integrity === undefined ? null : parseIntegrity(integrity);
  const workers = await workerCount(options.workers);
  const parallel = parallelMode(options.parallel, workers, wasm);
  // The engine build: the caller's wasm, the parallel build, options.engine, or else the
  // one the model's header needs (js/engine-choice.js), known once its first bytes arrive.
  let choose = null;
  const forced = engineOption(options.engine);
  const fixed = wasm !== undefined ? null : parallel ? { file: "wasmbert-parallel.wasm" } : forced;
  const choice = fixed !== undefined ? Promise.resolve(fixed) : new Promise((r) => (choose = r));
  const base = engineBase(engineURL);
  const progress = (phase, loaded, total) => onProgress?.({ phase, loaded, total });
  throwIfAborted(signal);

  const cache = await openCache(options.cache);
  // The engine compiles while the model downloads.
  progress("compile", 0, 1);
  const startBackend = async (choice) => {
    const [module] = await Promise.all([choice.then((c) => compileChosen(c, wasm, base, signal)), workers ? null : ensureGoRuntime(base)]);
    progress("compile", 1, 1);
    throwIfAborted(signal);
    return workers
      ? Pool.create({
          size: workers,
          module,
          execURL: new URL("wasm_exec.js", base()),
          workerURL: workerURL ? resolveURL(workerURL) : defaultWorkerURL(),
        })
      : new Local(await startEngine(module));
  };
  const backendP = startBackend(choice);
  backendP.catch(() => {}); // awaited below; failures surface there

  let backend = null;
  let src = null;
  try {
    src = await openSource(model, { signal, cache, retries: options.retries, stallTimeout: options.stallTimeout });
    let chosen = null;
    if (choose) {
      const { body, ...c } = await chooseEngine(src.body);
      src = { ...src, body };
      choose((chosen = c));
    }
    backend = await backendP;
    throwIfAborted(signal);
    let loaded;
    try {
      loaded = await stream(backend, src, { signal, expected, integrity, progress });
    } catch (err) {
      // A damaged cached file (flipped byte, truncated, emptied) is the
      // library's to fix: drop it and take the network copy, once.
      if (!src.cached || signal?.aborted) throw err;
      await backend.loadAbort(String(err?.message ?? err)).catch(() => {});
      await cache.delete(src.url.href).catch(() => {});
      onProgress?.({ phase: "heal", loaded: 0, total: 0, error: err?.message ?? String(err) });
      src = await openSource(model, { signal, cache: null, retries: options.retries, stallTimeout: options.stallTimeout });
      if (chosen) {
        // The damaged copy (emptied, say) may have chosen another engine than this one needs.
        const { body, ...c } = await chooseEngine(src.body);
        src = { ...src, body };
        if (c.file !== chosen.file) {
          backend.close();
          backend = null;
          backend = await startBackend(Promise.resolve(c));
        }
      }
      loaded = await stream(backend, src, { signal, expected, integrity, progress });
    }
    const { info, blob } = loaded;
    if (cache && src.cacheable) await cache.put(src.url.href, blob).catch(() => {});
    return { backend, info: { ...info, parallel: parallel ? parallel.kind : "off" }, workers, parallel };
  } catch (err) {
    if (backend) {
      await backend.loadAbort(String(err?.message ?? err)).catch(() => {});
      backend.close();
    } else {
      backendP.then((b) => b.close(), () => {});
    }
    if (signal?.aborted) throw abortError(signal);
    // Engine errors ("wasmbert: load model: ...") do not know where the bytes came from.
    const where = src?.url?.href;
    if (where && err instanceof Error && err.message.startsWith("wasmbert: ") && !err.message.includes(where)) {
      throw new Error(`wasmbert: ${where}: ${err.message.slice(10)}`, { cause: err });
    }
    throw err;
  }
}

// Streams src into backend while it arrives, checks the bytes, and builds
// the model. Resolves to {info, blob}: the model's info and the file, for
// the cache and for replacing a crashed worker.
async function stream(backend, src, { signal, expected, integrity, progress }) {
  const name = src.url?.href ?? "model bytes";
  const parts = [];
  let downloaded = 0;
  let built = 0;
  await backend.loadBegin(src.total);
  const inflight = [];
  const sent = async (p, n) => {
    await p;
    built += n;
    progress("build", built, src.total || built);
  };
  try {
    for await (const chunk of rechunk(src.body, CHUNK, signal)) {
      throwIfAborted(signal);
      parts.push(chunk);
      downloaded += chunk.byteLength;
      if (src.total && downloaded > src.total) throw new Error(`wasmbert: ${name}: more bytes than the ${src.total} announced`);
      progress("download", downloaded, src.total || downloaded);
      const s = sent(backend.loadChunk(chunk), chunk.byteLength);
      s.catch(() => {}); // surfaces when awaited below; later chunks then fail too
      inflight.push(s);
      if (inflight.length >= IN_FLIGHT) await inflight.shift();
    }
  } catch (err) {
    if (signal?.aborted) throw abortError(signal);
    if (err?.message?.startsWith("wasmbert:")) throw err;
    throw new Error(`wasmbert: read ${name}: ${err?.message ?? err}`, { cause: err });
  }
  throwIfAborted(signal);
  if (src.total && downloaded !== src.total) {
    throw new Error(`wasmbert: ${name}: truncated, got ${downloaded} of ${src.total} bytes`);
  }
  await Promise.all(inflight);
  const blob = new Blob(parts);
  parts.length = 0;
  if (expected && !digestsEqual(await sha256(blob), expected)) {
    throw new Error(`wasmbert: ${name}: integrity mismatch (sha256 does not match ${integrity})`);
  }
  const info = await backend.loadEnd(() => rechunk(blob.stream(), CHUNK));
  throwIfAborted(signal);
  return { info, blob };
}

async function workerCount(w) {
  if (w === undefined) return canSpawnWorkers() ? Math.min(4, await hardwareConcurrency()) : 0;
  if (!Number.isInteger(w) || w < 0) throw new TypeError("wasmbert: workers must be an integer >= 0");
  if (w > 0 && !canSpawnWorkers()) throw new Error("wasmbert: this runtime cannot start workers; use workers: 0");
  return w;
}

// Splitting one text across the workers (js/parallel.js) is live with
// parallel "auto" or "always" when there are two workers or more, they can
// exchange rows, the engine is the library's own (the variant built with
// embedPart), and, for "auto", a split was measured faster with this
// exchange on this many workers. Returns {mode, kind, minTokens} or null.
function parallelMode(p, workers, wasm) {
  if (p !== undefined && p !== false && p !== "auto" && p !== "always") throw new TypeError('wasmbert: parallel must be "auto", "always" or false');
  const ex = p && workers >= 2 && wasm === undefined ? splitExchange() : null;
  if (!ex || (p === "auto" && !splitPlan(p, 1, workers, ex.minTokens))) return null;
  return { mode: p, ...ex };
}

// The engine directory, as a function: see defaultEngineURL.
function engineBase(engineURL) {
  return () => (engineURL === undefined ? defaultEngineURL() : dirURL(resolveURL(engineURL)));
}

function dirURL(u) {
  return u.href.endsWith("/") ? u : new URL(u.href + "/");
}

// The engine in the calling thread (workers: 0), with the pool's interface.
class Local {
  #engine;
  #chain = Promise.resolve();
  constructor(engine) {
    this.#engine = engine;
  }
  loadBegin(total) {
    return this.#engine.loadBegin(total);
  }
  loadChunk(bytes) {
    return this.#engine.loadChunk(bytes);
  }
  loadEnd() {
    return this.#engine.loadEnd();
  }
  loadAbort(message) {
    return this.#engine.loadAbort(message);
  }
  get size() {
    return 1;
  }
  run(op, args) {
    // One call at a time, in order, as the pool does.
    const p = this.#chain.then(() => this.#engine[op](...args));
    this.#chain = p.catch(() => {});
    return p;
  }
  close() {
    this.#engine.exit();
  }
}

/** A loaded model. All methods are async; see index.d.ts. */
export class Wasmbert {
  #backend;
  #info;
  #workers;
  #tasks;
  #parallel;
  constructor(backend, info, workers, heads, parallel = null) {
    this.#backend = backend;
    this.#info = info;
    this.#workers = workers;
    this.#tasks = new Tasks(this, heads);
    this.#parallel = parallel;
  }

  #live() {
    if (!this.#backend) throw new Error("wasmbert: used after dispose()");
    return this.#backend;
  }

  async embed(texts, options = {}) {
    const backend = this.#live();
    const single = typeof texts === "string";
    const list = single ? [texts] : checkTexts(texts);
    const opts = checkEmbedOptions(options);
    if (opts.prompt !== undefined) checkPrompt(opts.prompt, this.#info.prompts);
    if (list.length === 0) return [];
    const p = this.#parallel;
    const plan = p && !opts.chunk ? splitPlan(p.mode, list.length, backend.size, p.minTokens) : null;
    let results;
    if (plan) {
      results = await Promise.all(list.map((t) => this.#embedSplit(t, opts, plan)));
    } else {
      // Contiguous slices, one per worker, so order is kept by concatenation.
      const n = Math.min(backend.size, list.length);
      const step = Math.ceil(list.length / n);
      const slices = [];
      for (let i = 0; i < list.length; i += step) slices.push(list.slice(i, i + step));
      results = await Promise.all(slices.map((s) => backend.run("embed", [s, opts])));
    }
    const out = this.#finish(list, results.flatMap(split), opts, options.details === true);
    return single ? out[0] : out;
  }

  // Shapes each text's entry as embed() returns it, on every path (one
  // engine, the pool, split texts): offsets as UTF-16 indices, truncation
  // details when asked for, else a warning the first time a text is cut.
  #finish(texts, entries, opts, details) {
    const maxLength = opts.maxLength ?? this.#info.maxLength;
    const prompt = opts.prompt === undefined ? "" : this.#info.prompts[opts.prompt];
    return entries.map((e, i) => {
      if (e.truncated && !details) this.#warnCut(e.tokenCount, maxLength);
      if (e.tokens || e.words) {
        // Offsets are into the prompted text, which is what the engine read.
        const text = prompt + texts[i];
        spansToUTF16(text, e.tokens);
        spansToUTF16(text, e.words);
      }
      if (!details && !e.tokens && !e.words) return e.vector;
      const r = { vector: e.vector };
      if (e.tokens) r.tokens = e.tokens;
      if (e.words) r.words = e.words;
      if (details) Object.assign(r, { truncated: e.truncated, tokenCount: e.tokenCount, maxLength, chunks: e.chunks });
      return r;
    });
  }

  #warned = false;
  #warnCut(tokens, maxLength) {
    if (this.#warned) return;
    this.#warned = true;
    console.warn(
      `wasmbert: a text of ${tokens} tokens was cut to the first ${maxLength} (maxLength); ` +
        "pass {chunk: true} to embed long texts whole, as averaged windows, or {details: true} to see which texts were cut. " +
        "This warning is shown once per loaded model.",
    );
  }

  // One text of a call that plan splits: on a group of plan.k workers if it
  // may be long enough, else on one. Whether it is split is decided in the
  // engine, on its token count.
  #embedSplit(text, opts, { k, minTokens }) {
    // A token covers at least one UTF-16 unit: shorter texts stay under the threshold.
    if (text.length + 2 < minTokens) return this.#backend.run("embed", [[text], opts]);
    const maxLength = opts.maxLength ?? this.#info.maxLength;
    return this.#backend.runSplit(text, opts, { k, minTokens, exchange: this.#parallel.kind, regionBytes: maxLength * 3 * this.#info.dim * 4 });
  }

  async similarity(a, b, options = {}) {
    const [va, vb] = await Promise.all([this.#vector(a, options), this.#vector(b, options)]);
    return cosine(va, vb);
  }

  async search(query, corpus, k = 10, options = {}) {
    if (!Array.isArray(corpus)) throw new TypeError("wasmbert: search corpus must be an array of strings or vectors");
    if (!Number.isInteger(k) || k < 0) throw new TypeError("wasmbert: k must be an integer >= 0");
    const q = await this.#vector(query, options);
    const texts = corpus.every((c) => typeof c === "string");
    if (!texts && !corpus.every((c) => c instanceof Float32Array)) {
      throw new TypeError("wasmbert: search corpus must be all strings or all Float32Array");
    }
    const vecs = texts ? await this.embed(corpus, sentenceOptions(options)) : corpus;
    return topK(q, vecs, k).map(({ index, score }) => ({ index, score, text: texts ? corpus[index] : undefined }));
  }

  async tokenize(text) {
    const backend = this.#live();
    checkText(text);
    const enc = await backend.run("tokenize", [text]);
    const at = utf16Index(text);
    enc.offsets = enc.byteOffsets.map(([start, end]) => [at(start), at(end)]);
    return enc;
  }

  info() {
    this.#live();
    // A shared engine adds who shares it (js/shared-client.js).
    return { ...this.#info, workers: this.#workers, ...this.#backend.describe?.() };
  }

  dispose() {
    const b = this.#backend;
    this.#backend = null;
    b?.close();
    this.#tasks.close();
  }

  // Downstream tasks (heads.js); the heads module loads on the first call.
  async trainClassifier(texts, labels, options) {
    return this.#live() && this.#tasks.trainClassifier(texts, labels, options);
  }
  async classify(classifier, texts, options) {
    return this.#live() && this.#tasks.classify(classifier, texts, options);
  }
  async loadClassifier(saved) {
    return this.#live() && this.#tasks.loadClassifier(saved);
  }
  async trainTagger(examples, options) {
    return this.#live() && this.#tasks.trainTagger(examples, options);
  }
  async ner(tagger, text) {
    return this.#live() && this.#tasks.ner(tagger, text);
  }
  async loadTagger(saved) {
    return this.#live() && this.#tasks.loadTagger(saved);
  }
  async loadHead(source, options) {
    return this.#live() && this.#tasks.loadHead(source, options);
  }
  async faq(query, entries, options) {
    return this.#live() && this.#tasks.faq(query, entries, options);
  }
  async pca(vectors, dims, options) {
    return this.#live() && this.#tasks.pca(vectors, dims, options);
  }

  async #vector(x, options) {
    if (x instanceof Float32Array) return x;
    checkText(x);
    return this.embed(x, sentenceOptions(options));
  }
}

// similarity() and search() compare one vector per text; token and word
// vectors would come back as objects, so those options are refused up
// front. details has nowhere to go in a score: it is dropped, and a cut
// text is warned about as by embed().
function sentenceOptions(options) {
  if (options?.tokens || options?.words !== undefined) {
    throw new TypeError("wasmbert: similarity() and search() compare sentence vectors; tokens and words do not apply");
  }
  if (options?.details === undefined) return options;
  const { details, ...rest } = options;
  return rest;
}

// Splits one engine result {data, count, dim, truncated, fullTokens, chunks}
// into per-text entries {vector, truncated, tokenCount, chunks} (vectors are
// views of one buffer: the result crossed from Go, or from a worker, in one
// copy), with the lists that were asked for: tokens [{token, id, start, end,
// vector}] and words [{text, start, end, vector}], offsets in UTF-8 bytes.
function split({ data, count, dim, truncated, fullTokens, chunks, tokens, tokenData, words, wordData }) {
  const tokenLists = unpack(tokens, tokenData);
  const wordLists = unpack(words, wordData);
  const out = [];
  for (let i = 0; i < count; i++) {
    const e = { vector: data.subarray(i * dim, (i + 1) * dim), truncated: truncated[i], tokenCount: fullTokens[i], chunks: chunks[i] };
    if (tokens) e.tokens = tokenLists[i];
    if (words) e.words = wordLists[i];
    out.push(e);
  }
  return out;
}

// Gives each entry of the per-text lists its row of the flat vectors.
function unpack(lists, flat) {
  if (!lists) return null;
  const n = lists.reduce((a, l) => a + l.length, 0);
  const d = n ? flat.length / n : 0;
  let at = 0;
  return lists.map((l) =>
    l.map((m) => {
      const vector = flat.subarray(at, at + d);
      at += d;
      return { ...m, vector };
    }),
  );
}
