// Which engine build a model needs, read from the first bytes of its file.
// wasmbert.wasm (the core) runs WordPiece (BERT) models only; a model whose
// tokenizer is byte-level BPE (RoBERTa) or SentencePiece Unigram (XLM-R),
// or whose encoder is not BERT's, needs wasmbert-families.wasm. Reading the
// header as it streams lets a WordPiece model never fetch the larger file
// and any other model get it without the caller naming it.

import { compileEngine } from "./engine.js";

export const CORE_ENGINE = "wasmbert.wasm";
export const FAMILIES_ENGINE = "wasmbert-families.wasm";

const MAGIC = "WASMBERT";
const PREFIX = 24; // magic, version u32, header length u64, CRC-32C u32 (docs/model-format.md)
const CORE_TOKENIZERS = new Set(["", "wordpiece"]);
const CORE_MODEL_TYPES = new Set(["", "bert", "roberta", "xlm-roberta"]);
// The header fields the choice depends on, by their path in the JSON.
const FIELDS = { "model.model_type": "modelType", "tokenizer.type": "tokenizer" };
// Keys and wanted values longer than this are not ours; they are skipped, not kept.
const MAX_CAPTURE = 256;

/** The engine file for a model of this tokenizer type and model_type. */
export function engineFor({ tokenizer = "", modelType = "" }) {
  return CORE_TOKENIZERS.has(tokenizer) && CORE_MODEL_TYPES.has(modelType) ? CORE_ENGINE : FAMILIES_ENGINE;
}

/**
 * Scans a model file's first bytes, fed in pieces with push(), for the
 * tokenizer type and model_type, without parsing (or holding) the
 * vocabulary. push() returns the fields found ({tokenizer, modelType}, each
 * "" when the header has none) once the choice is settled, else undefined.
 * A file that is not a wasmbert model settles on {} at once: the engine
 * then reports what is wrong with it.
 */
export class HeaderScanner {
  #prefix = new Uint8Array(PREFIX);
  #prefixHave = 0;
  #jsonLeft = 0;
  #stack = []; // per open container: {object, key, expectKey}
  #inString = false;
  #escape = false;
  #capture = null; // bytes of the key or wanted value being read, or null
  #captureRole = null; // "key" or a FIELDS entry
  #found = {};
  #modelClosed = false;
  #result;

  push(bytes) {
    if (this.#result) return this.#result;
    let i = 0;
    if (this.#prefixHave < PREFIX) {
      const n = Math.min(PREFIX - this.#prefixHave, bytes.byteLength);
      this.#prefix.set(bytes.subarray(0, n), this.#prefixHave);
      this.#prefixHave += n;
      i = n;
      if (this.#prefixHave < PREFIX) return undefined;
      const view = new DataView(this.#prefix.buffer);
      if (new TextDecoder().decode(this.#prefix.subarray(0, 8)) !== MAGIC) return this.#settle({});
      this.#jsonLeft = Number(view.getBigUint64(12, true));
    }
    const end = Math.min(bytes.byteLength, i + this.#jsonLeft);
    this.#jsonLeft -= end - i;
    for (; i < end && !this.#result; i++) this.#byte(bytes[i]);
    if (!this.#result && this.#jsonLeft === 0) this.#settle(this.#fields());
    return this.#result;
  }

  /** What the header said so far (at the end of the stream: all it says). */
  finish() {
    return this.#result ?? this.#settle(this.#prefixHave < PREFIX ? {} : this.#fields());
  }

  #fields() {
    return { tokenizer: this.#found.tokenizer ?? "", modelType: this.#found.modelType ?? "" };
  }

  #settle(r) {
    this.#result = r;
    return r;
  }

  #byte(b) {
    if (this.#inString) {
      if (this.#escape) this.#escape = false;
      else if (b === 0x5c) this.#escape = true;
      else if (b === 0x22) return this.#endString();
      if (this.#capture) {
        if (this.#capture.length < MAX_CAPTURE) this.#capture.push(b);
        else this.#capture = null;
      }
      return;
    }
    const top = this.#stack.at(-1);
    // Anything but an object is not a model header: leave it to the engine to say so.
    if (!top && b !== 0x7b && b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return this.#settle({});
    switch (b) {
      case 0x22: // "
        this.#inString = true;
        this.#startString(top);
        return;
      case 0x7b: // {
      case 0x5b: // [
        this.#stack.push({ object: b === 0x7b, key: null, expectKey: b === 0x7b });
        return;
      case 0x7d: // }
      case 0x5d: // ]
        this.#stack.pop();
        this.#closed(top);
        return;
      case 0x2c: // ,
        if (top?.object) top.expectKey = true;
        return;
      case 0x3a: // :
        if (top) top.expectKey = false;
        return;
    }
  }

  #startString(top) {
    this.#capture = null;
    if (top?.object && top.expectKey) {
      top.key = null; // until this key is read (a dropped long key is no key of ours)
      if (this.#stack.length <= 2) [this.#capture, this.#captureRole] = [[], "key"];
      return;
    }
    const field = FIELDS[this.#path()];
    if (field) [this.#capture, this.#captureRole] = [[], field];
  }

  #endString() {
    this.#inString = false;
    if (!this.#capture) return;
    let s;
    try {
      s = JSON.parse(`"${new TextDecoder().decode(new Uint8Array(this.#capture))}"`);
    } catch {
      s = null;
    }
    this.#capture = null;
    if (this.#captureRole === "key") this.#stack.at(-1).key = s;
    else if (typeof s === "string") this.#found[this.#captureRole] = s;
    this.#check();
  }

  // A closed container ends a field's scope: the model object without a
  // model_type is BERT, the tokenizer object without a type WordPiece.
  #closed(top) {
    if (this.#stack.length === 0) return this.#settle(this.#fields());
    if (this.#stack.length !== 1 || !top?.object) return;
    const key = this.#stack[0].key;
    if (key === "model") this.#modelClosed = true;
    if (key === "tokenizer") this.#found.tokenizer ??= "";
    this.#check();
  }

  // Settled once the tokenizer type is known and the model object read (or
  // its model_type found), or at once when either alone needs the families.
  #check() {
    const f = this.#found;
    if (f.tokenizer !== undefined && engineFor({ tokenizer: f.tokenizer }) !== CORE_ENGINE) return this.#settle(this.#fields());
    if (f.modelType !== undefined && engineFor({ modelType: f.modelType }) !== CORE_ENGINE) return this.#settle(this.#fields());
    if (f.tokenizer !== undefined && (f.modelType !== undefined || this.#modelClosed)) this.#settle(this.#fields());
  }

  #path() {
    return this.#stack.map((c) => c.key ?? "").join(".");
  }
}

/**
 * Reads body until its header settles which engine the model needs.
 * Resolves to {file, fields, body}: the engine file name, the header
 * fields it was chosen by, and a stream of every byte of the original body
 * (the ones read here first).
 */
export async function chooseEngine(body) {
  const reader = body.getReader();
  const seen = [];
  const scanner = new HeaderScanner();
  let fields;
  let done = false;
  try {
    while (!fields) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        fields = scanner.finish();
        break;
      }
      if (!r.value?.byteLength) continue;
      seen.push(r.value);
      fields = scanner.push(r.value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    throw err;
  }
  const replay = new ReadableStream({
    async pull(controller) {
      if (seen.length) return controller.enqueue(seen.shift());
      if (done) return controller.close();
      try {
        const r = await reader.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (err) {
        controller.error(err);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { file: engineFor(fields), fields, body: replay };
}

/**
 * The engine file options.engine fixes ("core" or "families"), or
 * undefined for "auto" (the default): chosen from the model's header.
 */
export function engineOption(engine) {
  if (engine === undefined || engine === "auto") return undefined;
  if (engine === "core") return { file: CORE_ENGINE };
  if (engine === "families") return { file: FAMILIES_ENGINE };
  throw new TypeError('wasmbert: engine must be "auto", "core" or "families"');
}

/**
 * Compiles the engine choice names ({file, fields}) from the engine
 * directory, or the caller's own wasm when choice is null.
 */
export async function compileChosen(choice, wasm, engineURL, signal) {
  if (!choice) return compileEngine(wasm, engineURL, signal);
  try {
    return await compileEngine(new URL(choice.file, engineURL()), engineURL, signal);
  } catch (err) {
    if (choice.file !== FAMILIES_ENGINE || !choice.fields || err?.name === "AbortError") throw err;
    throw familiesEngineError(err, choice.fields);
  }
}

/**
 * Says why the families engine is wanted when fetching or compiling it
 * fails: a site that hosts only wasmbert.wasm learns which file is missing.
 */
function familiesEngineError(err, fields) {
  const why = fields.tokenizer && !CORE_TOKENIZERS.has(fields.tokenizer)
    ? `its tokenizer is ${fields.tokenizer}`
    : `its model_type is ${fields.modelType}`;
  const detail = String(err?.message ?? err).replace(/^wasmbert: /, "");
  return new Error(
    `wasmbert: this model needs the families engine (${FAMILIES_ENGINE}; ${why}, ${CORE_ENGINE} runs WordPiece models only): ${detail}. Host ${FAMILIES_ENGINE} beside ${CORE_ENGINE}.`,
    { cause: err },
  );
}
