// Downstream tasks on the engine's vectors: classifier and NER tagger heads
// (model/heads, trained with spago), FAQ matching (model/faq) and PCA
// (model/similarity). They run in a second Go WebAssembly module,
// wasmbert-heads.wasm (wasm/heads), started in a worker of its own on the
// first call (HeadsRuntime), so the engine module stays small for the many
// pages that only embed and a long training never blocks the page.
//
// A trained head is the plain JSON object model/heads saves
// ({format: "wasmbert-head", version, kind, labels, features, layers}):
// JSON.stringify it to store it, and pass it (or its JSON text) back to
// classify()/ner() or loadClassifier()/loadTagger(). The same file works
// with `wasmbert classify --head` / `wasmbert ner --head`, and `wasmbert
// convert` of a Hugging Face fine-tuned checkpoint writes one (X.head.json
// beside X.wbm), which loadHead() reads from a URL, a path or bytes.
//
// Offsets (NER spans and entities) are JavaScript string indices (UTF-16
// code units), as text.slice() takes them.

import { compileEngine, ensureGoRuntime } from "./engine.js";
import { abortError, reviveError, throwIfAborted } from "./errors.js";
import { canSpawnWorkers } from "./runtime.js";
import { openSource, resolveURL } from "./source.js";
import { spawnWorker } from "./spawn.js";
import { byteOffsets, utf16Index } from "./offsets.js";
import { checkEmbedOptions, checkText, checkTexts } from "./vectors.js";

/** Heads module file name, next to wasmbert.wasm. */
export const HEADS_WASM = "wasmbert-heads.wasm";

// model/faq.DefaultThreshold: the cosine that separates paraphrases of a FAQ
// question from unrelated queries for all-MiniLM-L6-v2.
const FAQ_THRESHOLD = 0.35;

// The tagger sees a word as the hidden state of its first subword in the
// fourth of six layers, as `wasmbert ner` does (entity F1 0.88 against 0.77
// for the last layer on model/heads' test data). Saved in the head so a head
// trained on other features is refused.
const NER_LAYER = -3;
const NER_FEATURES = { input: "words", words: "first", layer: String(NER_LAYER) };

// Texts per embed() call while a training set is embedded with progress.
const EMBED_BATCH = 16;

const TRAIN_KEYS = ["hidden", "epochs", "batchSize", "learningRate", "weightDecay", "seed"];

/**
 * The heads module, started on the first call. It runs in its own worker
 * wherever the runtime can start one, so a training or a PCA of many
 * seconds never blocks the calling thread (a page stays responsive and can
 * show progress); where it cannot (extension service workers, workerd) it
 * runs in the calling thread. Either way a call can be cancelled: the
 * worker is stopped (and restarted by the next call), or, in the calling
 * thread, training stops at the next epoch.
 */
export class HeadsRuntime {
  #wasm;
  #base;
  #inThread;
  #started = null;
  #stop = null;
  /**
   * wasm: the module, its bytes or URL (default: wasmbert-heads.wasm in the
   * engine directory); base() gives the engine directory, which also holds
   * wasm_exec.js; inThread forces the calling thread.
   */
  constructor({ wasm, base, inThread = !canSpawnWorkers() }) {
    this.#wasm = wasm;
    this.#base = base;
    this.#inThread = inThread;
  }

  /**
   * Runs op on request (JSON-able) and data (Float32Array, handed over);
   * resolves to the parsed result. onProgress(done, total) hears each
   * training epoch; signal cancels with an AbortError.
   */
  async call(op, request, data, { signal, onProgress } = {}) {
    throwIfAborted(signal);
    const inst = await this.#start();
    if (inst.error) throw inst.error;
    let stop;
    const aborted = new Promise((_, reject) => {
      stop = () => {
        // Only a worker can be stopped mid-call; in the calling thread the
        // progress callback below ends the training at its next epoch.
        if (!this.#inThread) this.close(abortError(signal));
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", stop, { once: true });
    });
    aborted.catch(() => {});
    const progress = (done, total) => {
      throwIfAborted(signal);
      onProgress?.(done, total);
    };
    try {
      const result = await Promise.race([inst.call(op, JSON.stringify(request), data, progress), inst.exited, aborted]);
      return JSON.parse(result);
    } catch (err) {
      throw signal?.aborted ? abortError(signal) : err;
    } finally {
      signal?.removeEventListener("abort", stop);
    }
  }

  /** Stops the module; calls in flight fail with reason. */
  close(reason = new Error("wasmbert: heads module closed")) {
    const stop = this.#stop;
    this.#started = null;
    this.#stop = null;
    stop?.(reason);
  }

  #start() {
    this.#started ??= (this.#inThread ? this.#startHere() : this.#startWorker()).catch((err) => {
      this.#started = null; // a failed start (e.g. missing file) may be retried
      throw err;
    });
    return this.#started;
  }

  async #startHere() {
    const wasm = this.#wasm ?? new URL(HEADS_WASM, this.#base());
    const [module] = await Promise.all([compileEngine(wasm, this.#base), ensureGoRuntime(this.#base)]);
    const inst = await startHeads(module);
    this.#stop = () => inst.exit();
    return inst;
  }

  async #startWorker() {
    const port = await spawnWorker(new URL("./heads-worker.js", import.meta.url));
    const pending = new Map();
    let nextId = 0;
    const inst = { error: null, exited: null, call: null };
    let fail;
    inst.exited = new Promise((_, reject) => (fail = reject));
    inst.exited.catch(() => {});
    const stop = (err) => {
      if (inst.error) return;
      inst.error = err;
      port.terminate();
      fail(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    port.onCrash((why) => stop(new Error(`wasmbert: heads worker crashed: ${why}`)));
    port.onMessage(({ id, progress, ok, value, error }) => {
      const p = pending.get(id);
      if (!p) return;
      if (progress) {
        try {
          p.progress?.(...progress);
        } catch {
          // a cancelled call: its abort listener stops the worker
        }
        return;
      }
      pending.delete(id);
      if (pending.size === 0) port.ref(false);
      ok ? p.resolve(value) : p.reject(reviveError(error));
    });
    const send = (msg, transfer, progress) => {
      if (inst.error) return Promise.reject(inst.error);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, progress });
        port.ref(true);
        port.post({ id, ...msg }, transfer);
      });
    };
    inst.call = (op, request, data, progress) => send({ op, request, data }, data ? [data.buffer] : [], progress);
    this.#stop = stop;
    // A module given compiled or as bytes is posted; a URL the worker fetches and compiles itself.
    let wasm = this.#wasm ?? new URL(HEADS_WASM, this.#base());
    if (!(wasm instanceof WebAssembly.Module || wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm))) wasm = resolveURL(wasm).href;
    await Promise.race([send({ op: "init", wasm, base: this.#base().href }, []), inst.exited]);
    return inst;
  }
}

/**
 * Starts one Go instance of the heads module in this thread (the Go runtime
 * must be loaded). As engine.js startEngine: argv names a fresh global
 * callback that Go calls once with its API.
 */
export async function startHeads(module) {
  const go = new globalThis.Go();
  const name = `__wasmbert_heads_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}`;
  const ready = new Promise((resolve) => (globalThis[name] = resolve));
  go.argv = ["wasmbert-heads", name];
  go.exit = () => {
    for (const t of go._scheduledTimeouts.values()) clearTimeout(t);
    go._scheduledTimeouts.clear();
  };
  const instance = await WebAssembly.instantiate(module, go.importObject);
  const inst = { api: null, error: null, exited: null };
  // A Go program that ends while calls are pending has crashed: fail them
  // instead of leaving them pending forever.
  inst.exited = go.run(instance).then(
    () => Promise.reject((inst.error = new Error("wasmbert: heads module exited"))),
    (err) => Promise.reject((inst.error = new Error(`wasmbert: heads module crashed: ${err?.message ?? err}`))),
  );
  inst.exited.catch(() => {});
  try {
    inst.api = await Promise.race([ready, inst.exited]);
  } finally {
    delete globalThis[name];
  }
  inst.call = (op, request, data, progress) => inst.api.call(op, request, data, progress);
  inst.exit = () => {
    if (!inst.error) inst.api.exit();
  };
  return inst;
}

/** The downstream tasks of one model; Wasmbert's methods delegate here. */
export class Tasks {
  #bert;
  #heads;
  constructor(bert, heads) {
    this.#bert = bert;
    this.#heads = heads;
  }

  async trainClassifier(texts, labels, options = {}) {
    checkTexts(texts);
    if (!Array.isArray(labels)) throw new TypeError("wasmbert: trainClassifier labels must be an array of strings");
    labels.forEach((l, i) => {
      if (typeof l !== "string") throw new TypeError(`wasmbert: labels[${i}] must be a string`);
    });
    if (texts.length === 0) throw new Error("wasmbert: trainClassifier: empty training set");
    if (texts.length !== labels.length) {
      throw new Error(`wasmbert: trainClassifier: ${texts.length} texts but ${labels.length} labels`);
    }
    const { train, embed, control } = splitOptions(options);
    const features = this.#sentenceFeatures(embed);
    const vectors = await this.#embedReporting(texts, embed, control);
    const { data, dim } = flatten(vectors);
    return this.#heads.call("trainClassifier", { dim, labels, features, options: train }, data, trainControl(control));
  }

  async classify(classifier, texts, options) {
    const head = parseHead(classifier, "classifier");
    const single = typeof texts === "string";
    const list = single ? [texts] : checkTexts(texts);
    const embed = this.#classifierOptions(head, options);
    if (list.length === 0) return [];
    const { data, dim } = flatten(await this.#bert.embed(list, embed));
    const preds = await this.#heads.call("classify", { head, dim }, data);
    return single ? preds[0] : preds;
  }

  loadClassifier(saved) {
    return this.#heads.call("loadClassifier", parseHead(saved, "classifier"));
  }

  async trainTagger(examples, options = {}) {
    if (!Array.isArray(examples)) throw new TypeError("wasmbert: trainTagger takes an array of {text, spans}");
    if (examples.length === 0) throw new Error("wasmbert: trainTagger: empty training set");
    const texts = examples.map((ex, i) => {
      if (ex === null || typeof ex !== "object" || typeof ex.text !== "string") {
        throw new TypeError(`wasmbert: trainTagger example ${i} must be {text: string, spans: [...]}`);
      }
      return ex.text;
    });
    const spans = examples.map((ex, i) => byteSpans(ex.text, ex.spans ?? [], i));
    const { train, control } = splitOptions(options);
    const words = await this.#words(texts, control);
    const sentences = texts.map((text, i) => ({ text, words: words[i].map(({ start, end }) => ({ start, end })), spans: spans[i] }));
    const { data, dim } = flatten(words.flat().map((w) => w.vector), this.#bert.info().dim);
    return this.#heads.call("trainTagger", { dim, sentences, features: NER_FEATURES, options: train }, data, trainControl(control));
  }

  async ner(tagger, text) {
    const head = parseHead(tagger, "tagger");
    const single = typeof text === "string";
    const list = single ? [text] : checkTexts(text);
    const features = taggerFeatures(head);
    if (list.length === 0) return [];
    const words = await this.#words(list, {}, features);
    const texts = list.map((t, i) => ({ text: t, words: words[i].map(({ start, end }) => ({ start, end })) }));
    const { data, dim } = flatten(words.flat().map((w) => w.vector), this.#bert.info().dim);
    const found = await this.#heads.call("ner", { head, dim, texts }, data);
    const out = found.map((ents, i) => {
      const at = utf16Index(list[i]);
      return ents.map((e) => ({ start: at(e.start), end: at(e.end), label: e.label, score: e.score, text: e.text }));
    });
    return single ? out[0] : out;
  }

  loadTagger(saved) {
    return this.#heads.call("loadTagger", parseHead(saved, "tagger"));
  }

  async loadHead(source, { signal } = {}) {
    const head = parseHead(await readHeadSource(source, signal), "head");
    if (head.kind !== "classifier" && head.kind !== "tagger") {
      throw new Error(`wasmbert: loadHead: kind ${JSON.stringify(head.kind)}, want "classifier" or "tagger"`);
    }
    const checked = await (head.kind === "classifier" ? this.loadClassifier(head) : this.loadTagger(head));
    // A head reads the encoder's hidden states (or vectors cut to
    // `dimensions`): one fine-tuned or trained on another encoder cannot apply.
    const inputs = checked.layers[0].in;
    const dim = checked.features?.dimensions !== undefined ? Number(checked.features.dimensions) : this.#bert.info().dim;
    if (inputs !== dim) {
      throw new Error(`wasmbert: loadHead: the head takes ${inputs}-dimensional vectors but the model's are ${dim}: it was fine-tuned or trained on another encoder`);
    }
    return checked;
  }

  close() {
    this.#heads.close();
  }

  async faq(query, entries, options = {}) {
    checkText(query);
    if (!Array.isArray(entries) || entries.length === 0) throw new Error("wasmbert: faq needs a non-empty array of {question, answer}");
    entries.forEach((e, i) => {
      if (e === null || typeof e !== "object" || typeof e.question !== "string" || typeof e.answer !== "string") {
        throw new TypeError(`wasmbert: faq entries[${i}] must be {question: string, answer: string}`);
      }
    });
    if (options === null || typeof options !== "object") throw new TypeError("wasmbert: faq options must be an object");
    const { threshold = FAQ_THRESHOLD, k, ...rest } = options;
    if (typeof threshold !== "number" || !Number.isFinite(threshold)) throw new TypeError("wasmbert: faq threshold must be a finite number");
    if (k !== undefined && (!Number.isInteger(k) || k < 1)) throw new TypeError("wasmbert: faq k must be an integer >= 1");
    const embed = checkEmbedOptions(rest);
    const vectors = await this.#bert.embed([...entries.map((e) => e.question), query], embed);
    const { data, dim } = flatten(vectors);
    const request = { dim, entries: entries.map(({ question, answer }) => ({ question, answer })), threshold, k: k ?? 1 };
    const results = await this.#heads.call("faq", request, data);
    return k === undefined ? results[0] : results;
  }

  async pca(vectors, dims = 2, options = {}) {
    if (!Array.isArray(vectors)) throw new TypeError("wasmbert: pca takes an array of vectors");
    if (vectors.length < 2) throw new Error(`wasmbert: pca needs at least 2 vectors, got ${vectors.length}`);
    if (!Number.isInteger(dims) || dims < 1) throw new TypeError("wasmbert: pca dims must be an integer >= 1");
    const { control, train, embed } = splitOptions(options);
    if (Object.keys(train).length || Object.keys(embed).length) throw new TypeError("wasmbert: pca options are signal and onProgress only");
    const { data, dim } = flatten(vectors);
    control.onProgress?.({ phase: "pca", done: 0, total: 1 });
    const { points } = await this.#heads.call("pca", { dim, dims }, data, { signal: control.signal });
    control.onProgress?.({ phase: "pca", done: 1, total: 1 });
    return points.map((p) => Float32Array.from(p));
  }

  // The features a sentence classifier records: what `wasmbert classify`
  // records for the defaults, plus the options that change the vectors.
  #sentenceFeatures(embed) {
    const info = this.#bert.info();
    const f = { input: "sentence", pooling: embed.pooling ?? info.pooling, layer: String(embed.layer ?? -1) };
    if (embed.normalize !== undefined) f.normalize = String(embed.normalize);
    if (embed.dimensions !== undefined) f.dimensions = String(embed.dimensions);
    if (embed.maxLength !== undefined) f.maxLength = String(embed.maxLength);
    if (embed.chunk !== undefined) f.chunk = `${embed.chunk.size}/${embed.chunk.overlap}`;
    return f;
  }

  // Embed options for applying head: those its features record, or the
  // caller's when they compute the same features.
  #classifierOptions(head, options) {
    const f = head.features ?? {};
    if (f.input !== undefined && f.input !== "sentence") throw new Error(`wasmbert: classify: the head takes ${f.input} vectors, not sentence vectors`);
    let embed;
    if (options === undefined) {
      embed = {};
      if (f.pooling !== undefined) embed.pooling = f.pooling;
      if (f.layer !== undefined) embed.layer = layerOption(f.layer);
      if (f.normalize !== undefined) embed.normalize = f.normalize === "true";
      if (f.dimensions !== undefined) embed.dimensions = Number(f.dimensions);
      if (f.maxLength !== undefined) embed.maxLength = Number(f.maxLength);
      if (f.chunk !== undefined) {
        const [size, overlap] = f.chunk.split("/").map(Number);
        embed.chunk = { size, overlap };
      }
      embed = checkEmbedOptions(embed);
    } else {
      embed = splitOptions(options).embed;
    }
    const want = this.#sentenceFeatures(embed);
    const same = Object.keys(want).length === Object.keys(f).length && Object.keys(want).every((key) => want[key] === f[key]);
    if (head.features !== undefined && !same) {
      throw new Error(`wasmbert: classify: the classifier was trained on features ${JSON.stringify(f)}, these options compute ${JSON.stringify(want)}`);
    }
    return embed;
  }

  // Word vectors of each text: the first subword of each word, in the
  // NER layer, with the word's UTF-8 byte range (what the heads module
  // reads; embed() gives UTF-16 indices), as the engine groups subwords
  // into words (model/pooling.Words). Words past the model's maximum
  // length are not seen.
  async #words(texts, control = {}, features = NER_FEATURES) {
    const embs = await this.#embedReporting(texts, { words: features.words, layer: layerOption(features.layer) }, control);
    return embs.map(({ words }, i) => {
      const at = byteOffsets(texts[i]);
      return words.map(({ start, end, vector }) => ({ start: at[start], end: at[end], vector }));
    });
  }

  // embed() in batches, so a training set of hundreds of texts reports
  // {phase: "embed"} progress and can be cancelled between batches. Each
  // text's vectors do not depend on its batch.
  async #embedReporting(texts, embed, { signal, onProgress } = {}) {
    if (!onProgress && !signal) return this.#bert.embed(texts, embed);
    const out = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      throwIfAborted(signal);
      onProgress?.({ phase: "embed", done: i, total: texts.length });
      out.push(...(await this.#bert.embed(texts.slice(i, i + EMBED_BATCH), embed)));
    }
    throwIfAborted(signal);
    onProgress?.({ phase: "embed", done: texts.length, total: texts.length });
    return out;
  }
}

// The word features a tagger reads: what trainTagger records (layer -3), or
// the last layer of an HF token classifier (model/heads.HFTaggerFeatures).
function taggerFeatures(head) {
  const f = head.features ?? {};
  const ok = Object.keys(f).length === 3 && f.input === "words" && (f.words === "first" || f.words === "mean") && typeof f.layer === "string";
  if (!ok) throw new Error(`wasmbert: ner: the tagger was trained on features ${JSON.stringify(f)}; ner() computes {input: "words", words: "first"|"mean", layer}`);
  return f;
}

// A recorded layer ("-1", "sum:4") as an embed() layer option.
function layerOption(layer) {
  return /^-?\d+$/.test(layer) ? Number(layer) : layer;
}

// A head given to loadHead(): its object, or its JSON from a URL, a path
// (Node), a Blob or bytes.
async function readHeadSource(source, signal) {
  if (source !== null && typeof source === "object" && !(source instanceof URL) && !(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source) && !(typeof Blob !== "undefined" && source instanceof Blob)) {
    return source;
  }
  const { body, url } = await openSource(source, { signal, cache: null });
  const text = await new Response(body).text();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`wasmbert: loadHead: ${url?.href ?? "the bytes"} is not a head file (JSON): ${err.message}`, { cause: err });
  }
}

// Training options go to the head, signal and onProgress control the call;
// the rest are embed() options.
function splitOptions(options) {
  if (options === null || typeof options !== "object") throw new TypeError("wasmbert: options must be an object");
  const train = {};
  const embed = {};
  const { signal, onProgress, ...rest } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError("wasmbert: signal must be an AbortSignal");
  if (onProgress !== undefined && typeof onProgress !== "function") throw new TypeError("wasmbert: onProgress must be a function");
  for (const [k, v] of Object.entries(rest)) {
    if (!TRAIN_KEYS.includes(k)) {
      embed[k] = v;
      continue;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (k !== "learningRate" && k !== "weightDecay" && !Number.isInteger(v))) {
      throw new TypeError(`wasmbert: ${k} must be a ${k === "learningRate" || k === "weightDecay" ? "number" : "integer"} >= 0`);
    }
    train[k] = v;
  }
  return { train, embed: checkEmbedOptions(embed), control: { signal, onProgress } };
}

// The heads call's control: epochs reported as {phase: "train"} progress.
function trainControl({ signal, onProgress }) {
  return { signal, onProgress: onProgress && ((done, total) => onProgress({ phase: "train", done, total })) };
}

// A head given as its object or its JSON text. The Go side checks the rest
// (format, version, kind, labels, layer shapes).
function parseHead(saved, kind) {
  let head = saved;
  if (typeof saved === "string") {
    try {
      head = JSON.parse(saved);
    } catch (err) {
      throw new Error(`wasmbert: load ${kind}: not JSON: ${err.message}`, { cause: err });
    }
  }
  if (head === null || typeof head !== "object" || Array.isArray(head)) {
    throw new TypeError(`wasmbert: a ${kind} must be the object trainClassifier/trainTagger returned or its JSON text`);
  }
  return head;
}

// Packs vectors (Float32Array or number arrays of one length) row after row.
function flatten(vectors, dim = vectors[0]?.length ?? 0) {
  const data = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    if (!(v instanceof Float32Array) && !Array.isArray(v)) throw new TypeError(`wasmbert: vector ${i} must be a Float32Array or an array of numbers`);
    if (v.length !== dim) throw new RangeError(`wasmbert: vector ${i} has ${v.length} dimensions, vector 0 has ${dim}`);
    data.set(v, i * dim);
  });
  return { data, dim };
}

// Checks spans given as UTF-16 indices and converts them to byte offsets.
function byteSpans(text, spans, example) {
  if (!Array.isArray(spans)) throw new TypeError(`wasmbert: trainTagger example ${example}: spans must be an array`);
  const at = byteOffsets(text);
  return spans.map((s, k) => {
    const where = `wasmbert: trainTagger example ${example} span ${k}`;
    if (s === null || typeof s !== "object" || typeof s.label !== "string") throw new TypeError(`${where}: want {start, end, label}`);
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end <= s.start || s.end > text.length) {
      throw new RangeError(`${where}: [${s.start}, ${s.end}) is empty or outside the text of ${text.length} characters`);
    }
    if (at[s.start] < 0 || at[s.end] < 0) throw new RangeError(`${where}: [${s.start}, ${s.end}) splits a surrogate pair`);
    return { start: at[s.start], end: at[s.end], label: s.label };
  });
}
