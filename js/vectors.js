// Argument checks for the public API and the vector math done in JS
// (cosine, top-k), which needs no trip into the engine.

export function checkText(t) {
  if (typeof t !== "string") throw new TypeError(`wasmbert: text must be a string, got ${describe(t)}`);
}

export function checkTexts(texts) {
  if (!Array.isArray(texts)) throw new TypeError(`wasmbert: texts must be a string or an array of strings, got ${describe(texts)}`);
  texts.forEach((t, i) => {
    if (typeof t !== "string") throw new TypeError(`wasmbert: texts[${i}] must be a string, got ${describe(t)}`);
  });
  return texts;
}

const POOLING = ["mean", "cls", "max", "lasttoken"];
// How a word's subword vectors become its vector (model/pooling.WordAgg).
const WORDS = ["first", "mean"];

/** Validates embed() options; returns a plain object safe to post to a worker. */
export function checkEmbedOptions(o) {
  if (o === null || typeof o !== "object") throw new TypeError("wasmbert: embed options must be an object");
  const out = {};
  if (o.pooling !== undefined) {
    if (!POOLING.includes(o.pooling)) throw new TypeError(`wasmbert: pooling must be one of ${POOLING.join(", ")}`);
    out.pooling = o.pooling;
  }
  // truncate and details shape the call in JS; the engine does not see them.
  for (const k of ["normalize", "tokens", "truncate", "details"]) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== "boolean") throw new TypeError(`wasmbert: ${k} must be a boolean`);
    if (k !== "truncate" && k !== "details") out[k] = o[k];
  }
  if (o.words !== undefined) {
    if (!WORDS.includes(o.words)) throw new TypeError(`wasmbert: words must be one of ${WORDS.join(", ")}`);
    out.words = o.words;
  }
  if (o.layer !== undefined) {
    if (!Number.isInteger(o.layer) && typeof o.layer !== "string") {
      throw new TypeError('wasmbert: layer must be an integer (negative counts from the last) or "sum:K", "mean:K", "concat:K"');
    }
    out.layer = o.layer;
  }
  if (o.maxLength !== undefined) {
    if (!Number.isInteger(o.maxLength) || o.maxLength <= 0) throw new TypeError("wasmbert: maxLength must be a positive integer");
    out.maxLength = o.maxLength;
  }
  if (o.prompt !== undefined) {
    if (typeof o.prompt !== "string" || o.prompt === "") throw new TypeError("wasmbert: prompt must be the name of one of the model's prompts (info().prompts)");
    out.prompt = o.prompt;
  }
  if (o.dimensions !== undefined) {
    if (!Number.isInteger(o.dimensions) || o.dimensions <= 0) throw new TypeError("wasmbert: dimensions must be a positive integer");
    out.dimensions = o.dimensions;
  }
  // Long texts are truncated (the default) or, with chunk or truncate: false,
  // embedded as overlapping windows whose vectors are averaged.
  const chunk = o.chunk ?? (o.truncate === false ? true : undefined);
  if (chunk !== undefined && chunk !== false) {
    if (o.truncate === true) throw new TypeError("wasmbert: truncate and chunk exclude each other");
    const c = chunk === true ? {} : chunk;
    if (c === null || typeof c !== "object") throw new TypeError("wasmbert: chunk must be a boolean or {size, overlap}");
    for (const k of ["size", "overlap"]) {
      if (c[k] !== undefined && (!Number.isInteger(c[k]) || c[k] < 0)) throw new TypeError(`wasmbert: chunk.${k} must be an integer >= 0`);
    }
    // Left-out sizes stay out: the engine fills its defaults (size: the
    // longest window, overlap: size / 8), and overlap 0 means no overlap.
    out.chunk = {};
    if (c.size !== undefined) out.chunk.size = c.size;
    if (c.overlap !== undefined) out.chunk.overlap = c.overlap;
  }
  return out;
}

/** Rejects a prompt name the model lacks, listing those it has (info().prompts). */
export function checkPrompt(name, prompts = {}) {
  if (Object.hasOwn(prompts, name)) return;
  const names = Object.keys(prompts).sort();
  const have = names.length ? `the model's prompts are ${names.join(", ")}` : "the model has no prompts";
  throw new RangeError(`wasmbert: prompt "${name}": ${have}`);
}

export function cosine(a, b) {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) throw new TypeError("wasmbert: vectors must be Float32Array");
  if (a.length !== b.length) throw new RangeError(`wasmbert: vector lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The k vectors most cosine-similar to q, best first: [{index, score}]. */
export function topK(q, vecs, k) {
  const scored = vecs.map((v, index) => ({ index, score: cosine(q, v) }));
  scored.sort((x, y) => y.score - x.score || x.index - y.index);
  return scored.slice(0, k);
}

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? v.constructor?.name ?? "object" : typeof v;
}
