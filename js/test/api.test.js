// The Wasmbert API on the real model: bad input, workers, crash recovery,
// and agreement with the native CLI.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { loadModel, ENGINE_WASM, MODEL_INT8, cliEmbed, maxAbsDiff, requireFile } from "./helpers.js";

const TEXTS = [
  "A man is eating food.",
  "A man is eating a piece of bread.",
  "The girl is carrying a baby.",
  "Ünïcödé, emoji 🤖 and CJK 漢字 survive the bridge.",
  "",
  "word ".repeat(400),
];

let bert;
before(async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  bert = await loadModel({ model: MODEL_INT8, workers: 0 });
});
after(() => bert?.dispose());

// The CLI reads one text per line, so only single-line texts go through it.
const CLI_CASES = [
  { name: "model defaults", args: [], options: {} },
  { name: "cls, layer 3, unnormalized", args: ["--pooling", "cls", "--layer", "3", "--no-normalize"], options: { pooling: "cls", layer: 3, normalize: false } },
  { name: "max of the second-to-last layer", args: ["--pooling", "max", "--layer", "-2"], options: { pooling: "max", layer: -2 } },
];

test("embeddings equal the native CLI within 1e-5", async (t) => {
  for (const c of CLI_CASES) {
    await t.test(c.name, async () => {
      const got = await bert.embed(TEXTS, c.options);
      const want = await cliEmbed(MODEL_INT8, TEXTS, c.args);
      assert.equal(got.length, want.length);
      for (let i = 0; i < got.length; i++) {
        const d = maxAbsDiff(got[i], want[i]);
        assert.ok(d <= 1e-5, `text ${i}: max |diff| ${d}`);
      }
    });
  }
});

test("bad input", async (t) => {
  const cases = [
    { name: "number", fn: () => bert.embed(42), err: TypeError },
    { name: "null", fn: () => bert.embed(null), err: TypeError },
    { name: "array with number", fn: () => bert.embed(["a", 1]), err: TypeError },
    { name: "bad option", fn: () => bert.embed("a", { pooling: "sum" }), err: TypeError },
    { name: "tokenize number", fn: () => bert.tokenize(1), err: TypeError },
    { name: "similarity object", fn: () => bert.similarity({}, "a"), err: TypeError },
    { name: "search corpus string", fn: () => bert.search("a", "b"), err: TypeError },
    { name: "similarity with tokens", fn: () => bert.similarity("a", "b", { tokens: true }), err: TypeError },
    { name: "search with words", fn: () => bert.search("a", ["b"], 1, { words: "mean" }), err: TypeError },
  ];
  for (const c of cases) await t.test(c.name, () => assert.rejects(c.fn(), c.err));
  assert.deepEqual(await bert.embed([]), []);
  const huge = await bert.embed("x".repeat(1 << 20));
  assert.equal(huge.length, 384);
});

test("single string gives a vector, an array gives vectors in order", async () => {
  const one = await bert.embed(TEXTS[0]);
  const many = await bert.embed(TEXTS.slice(0, 3));
  assert.deepEqual(many[0], one);
  assert.equal(many.length, 3);
  const sim = await bert.similarity(TEXTS[0], TEXTS[1]);
  assert.ok(sim > 0.5 && sim <= 1.0001, `similarity ${sim}`);
  assert.ok(Math.abs((await bert.similarity(one, TEXTS[0])) - 1) < 1e-5);
  const hits = await bert.search("Someone eats", TEXTS.slice(0, 3), 2);
  assert.equal(hits.length, 2);
  assert.equal(hits[0].text, TEXTS[hits[0].index]);
  assert.ok([0, 1].includes(hits[0].index));
  const tok = await bert.tokenize("Hello world");
  assert.ok(tok && typeof tok === "object");
});

test("chunk overlap: left out is size / 8, 0 means disjoint windows", async () => {
  const text = Array.from({ length: 120 }, (_, i) => `word${i % 17} number ${i}.`).join(" ");
  const [byDefault, eight, zero] = await Promise.all([
    bert.embed(text, { chunk: { size: 64 } }),
    bert.embed(text, { chunk: { size: 64, overlap: 8 } }),
    bert.embed(text, { chunk: { size: 64, overlap: 0 } }),
  ]);
  assert.equal(maxAbsDiff(byDefault, eight), 0);
  assert.ok(maxAbsDiff(zero, eight) > 1e-4, "overlap 0 gave the vector of overlap 8");
});

// The JS API has one casing: info() once mixed max_length with camelCase keys.
test("info() keys are camelCase and describe the loaded model", async () => {
  const info = bert.info();
  assert.deepEqual(Object.keys(info).filter((k) => !/^[a-z][a-zA-Z]*$/.test(k)), []);
  assert.ok(Number.isInteger(info.maxLength) && info.maxLength > 0, `maxLength ${info.maxLength}`);
  assert.ok(Number.isInteger(info.vocabSize) && info.vocabSize > 0, `vocabSize ${info.vocabSize}`);
  assert.equal(typeof info.hiddenAct, "string");
  assert.ok(info.hiddenAct.length > 0);
  assert.equal(info.dim, (await bert.embed("a")).length);
  // A text far past maxLength is cut to it, so the key is the length the engine uses.
  const { truncated, ids } = await bert.tokenize("word ".repeat(4 * info.maxLength));
  assert.equal(truncated, true);
  assert.equal(ids.length, info.maxLength);
});

test("calls after dispose fail clearly", async () => {
  const b = await loadModel({ model: MODEL_INT8, workers: 0 });
  b.dispose();
  await assert.rejects(b.embed("a"), /dispose/);
  assert.throws(() => b.info(), /dispose/);
});

test("workers: 2 equals workers: 1 equals workers: 0, concurrent calls keep order", async () => {
  const want = await bert.embed(TEXTS);
  for (const workers of [1, 2]) {
    const b = await loadModel({ model: MODEL_INT8, workers });
    try {
      const [a, c] = await Promise.all([b.embed(TEXTS), b.embed(TEXTS.slice().reverse())]);
      // Splitting a batch across workers changes how texts are padded and
      // batched together; every kernel computes a row from that row alone
      // (model/bert TestForwardBatchInvariant), so the vectors are the same
      // bits.
      for (let i = 0; i < TEXTS.length; i++) {
        const d = Math.max(maxAbsDiff(a[i], want[i]), maxAbsDiff(c[TEXTS.length - 1 - i], want[i]));
        assert.equal(d, 0, `workers ${workers} text ${i}: max |diff| ${d}`);
      }
    } finally {
      b.dispose();
    }
  }
});

test("a crashed worker fails its call and is replaced", async () => {
  const b = await loadModel({ model: MODEL_INT8, workers: 2, workerURL: new URL("./crash-worker.js", import.meta.url) });
  try {
    await assert.rejects(b.embed(["__crash__"]), /worker crashed/);
    const v = await b.embed(TEXTS.slice(0, 4));
    const want = await bert.embed(TEXTS.slice(0, 4));
    v.forEach((x, i) => assert.ok(maxAbsDiff(x, want[i]) <= 1e-5, `text ${i}`));
  } finally {
    b.dispose();
  }
});
