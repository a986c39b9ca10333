// workload.js is the measurement protocol, the same for both libraries and for
// Node and Chromium: it only needs an embedder {embed(texts) -> vectors} and a clock
// whose zero is the start of the process or page, so cold start means "start to
// first vector" in both places. It has no Node or DOM imports on purpose.

// Corpus throughput goes in batches of this size, in file order, for both
// libraries: a realistic mix of lengths inside each batch, so padding costs count.
export const BATCH = 16;

/**
 * run measures one library in one configuration.
 * open() resolves to {embed(texts: string[]): Promise<ArrayLike<number>[]>, dispose()}.
 * data: {corpus: string[], singles: {"8","32","128": string}, reference: parsed reference.json}.
 * opts: {mode: "full"|"cold", iterations, limit, memory: () => Promise<number|null>}.
 */
export async function run(open, data, opts, now) {
  const tOpen = now();
  const lib = await open();
  const tLoaded = now();
  const first = await lib.embed([data.singles['8']]);
  const tFirst = now();
  if (!first?.length || first[0].length !== 384) throw new Error(`first vector: want 1x384, got ${first?.length}x${first?.[0]?.length}`);
  const out = { cold_start_ms: round(tFirst), load_ms: round(tLoaded - tOpen), first_embed_ms: round(tFirst - tLoaded) };
  if (opts.mode === 'cold') return out;

  for (let i = 0; i < 3; i++) for (const t of Object.values(data.singles)) await lib.embed([t]);
  for (const [k, text] of Object.entries(data.singles)) {
    const ms = [];
    for (let i = 0; i < opts.iterations; i++) {
      const t = now();
      await lib.embed([text]);
      ms.push(now() - t);
    }
    out[`p50_ms_${k}tok`] = round(quantile(ms, 0.5));
    out[`p95_ms_${k}tok`] = round(quantile(ms, 0.95));
  }

  const corpus = data.corpus.slice(0, opts.limit ?? data.corpus.length);
  const t = now();
  for (let i = 0; i < corpus.length; i += BATCH) await lib.embed(corpus.slice(i, i + BATCH));
  const secs = (now() - t) / 1000;
  out.throughput_tps = round(corpus.length / secs);
  out.throughput_texts = corpus.length;

  Object.assign(out, await fidelity(lib, data));
  out.peak_memory_bytes = opts.memory ? await opts.memory() : null;
  lib.dispose?.();
  return out;
}

// fidelity embeds the reference sample and the single texts and compares each
// vector to the sentence-transformers one by cosine.
async function fidelity(lib, data) {
  const refs = data.reference.embeddings;
  const texts = refs.map((r) => (r.single ? data.singles[r.single] : data.corpus[r.id]));
  const got = [];
  for (let i = 0; i < texts.length; i += BATCH) got.push(...(await lib.embed(texts.slice(i, i + BATCH))));
  const cos = refs.map((r, i) => cosine(got[i], r.embedding));
  return {
    cosine_to_reference: round(cos.reduce((a, b) => a + b, 0) / cos.length, 6),
    cosine_to_reference_min: round(Math.min(...cos), 6),
    cosine_texts: cos.length,
  };
}

export function cosine(a, b) {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

export function quantile(xs, q) {
  // Nearest rank: with 20 samples p95 is the 19th, not the maximum.
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)];
}

function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
