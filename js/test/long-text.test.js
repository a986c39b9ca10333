// Long texts are never cut silently: embed() reports truncation with
// {details: true}, and warns once per loaded model otherwise, on every path
// (the calling thread, the worker pool, a text split across workers).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { loadModel, MODEL_INT8, maxAbsDiff, requireFile } from "./helpers.js";

const LONG = Array.from({ length: 200 }, (_, i) => `sentence ${i} talks about rivers and mountains.`).join(" ");
const SHORT = "a short text";

// The console.warn calls fn makes, console.warn restored afterwards.
async function warnings(fn) {
  const seen = [];
  const orig = console.warn;
  console.warn = (...args) => seen.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.warn = orig;
  }
  return seen;
}

const paths = [
  { name: "calling thread", options: { workers: 0 } },
  { name: "pool", options: { workers: 2 } },
  { name: "split across workers", options: { workers: 2, parallel: "always" } },
];
const models = {};

before(async () => {
  await requireFile(MODEL_INT8, "./build.sh models");
  for (const p of paths) models[p.name] = await loadModel({ model: MODEL_INT8, ...p.options });
});

after(() => {
  for (const m of Object.values(models)) m.dispose();
});

for (const p of paths) {
  test(`${p.name}: details say which texts were cut`, async () => {
    const bert = models[p.name];
    if (p.options.parallel) assert.equal(bert.info().parallel, "shared-memory", "the split path is live");
    const max = bert.info().maxLength;
    const enc = await bert.tokenize(LONG);
    assert.ok(enc.fullLength > max, "the long text is longer than the model's maximum");
    const vectors = [];
    const got = await warnings(async () => {
      // One text at a time: with parallel "always" each is then split across both workers.
      const long = await bert.embed(LONG, { details: true });
      const short = await bert.embed(SHORT, { details: true });
      const [both] = await bert.embed([LONG, SHORT], { details: true });
      assert.equal(both.truncated, true);
      assert.deepEqual({ ...long, vector: undefined }, { vector: undefined, truncated: true, tokenCount: enc.fullLength, maxLength: max, chunks: 1 });
      assert.equal(short.truncated, false);
      assert.equal(short.tokenCount, (await bert.tokenize(SHORT)).ids.length);
      assert.ok(long.vector instanceof Float32Array);
      vectors.push(long.vector);
      const cut = await bert.embed(LONG, { details: true, maxLength: 32 });
      assert.equal(cut.maxLength, 32);
      assert.equal(cut.truncated, true);
    });
    assert.deepEqual(got, [], "no warning when details were asked for");
    const plain = await warnings(() => bert.embed(LONG).then((v) => vectors.push(v)));
    assert.equal(maxAbsDiff(vectors[1], vectors[0]), 0, "details do not change the vector");
    assert.ok(plain.length <= 1, "at most one warning");
  });
}

test("a cut text without details warns once per loaded model, naming the limit", async () => {
  const bert = await loadModel({ model: MODEL_INT8, workers: 0 });
  try {
    const max = bert.info().maxLength;
    const got = await warnings(async () => {
      await bert.embed(SHORT);
      await bert.embed([SHORT, LONG]);
      await bert.embed(LONG);
      await bert.similarity(LONG, SHORT);
    });
    assert.equal(got.length, 1, got.join("\n"));
    assert.match(got[0], new RegExp(`cut to the first ${max}.*chunk: true`));
  } finally {
    bert.dispose();
  }
});

test("chunked texts are not truncated and say how many windows they took", async () => {
  const bert = models["calling thread"];
  const got = await warnings(async () => {
    const r = await bert.embed(LONG, { details: true, chunk: { size: 100, overlap: 0 } });
    const enc = await bert.tokenize(LONG);
    assert.equal(r.truncated, false);
    assert.equal(r.chunks, Math.ceil((enc.fullLength - 2) / 100));
    assert.equal(r.tokenCount, enc.fullLength);
    await bert.embed(LONG, { chunk: true });
  });
  assert.deepEqual(got, []);
});
