// One text split across the workers (js/parallel.js, parallel: "auto"):
// the vectors equal the one-worker ones, a worker dying mid-call fails that
// call and the pool recovers, dispose() during a split call releases
// everyone, a barrier nobody else reaches times out, and many mixed calls
// keep working (1,000 of them: parallel-longrun.test.js).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ENGINE_DIR, MODEL_INT8, loadModel, requireFile } from "./helpers.js";
import { SharedRegions, partExchange, splitPlan } from "../parallel.js";

const LONG = "The quick brown fox jumps over the lazy dog and keeps running across the field. ".repeat(7);
const MEDIUM = "A search box embeds one query at a time, and that query is what users wait for. ".repeat(2);
const SHORT = "hello world";

let one, par;
before(async () => {
  await requireFile(new URL("wasmbert-parallel.wasm", ENGINE_DIR), "./build.sh wasm");
  one = await loadModel({ model: MODEL_INT8, workers: 2 });
  par = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "auto" });
});
after(() => {
  one?.dispose();
  par?.dispose();
});

function maxAbsDiff(a, b) {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test("info() says which path is live", async () => {
  assert.equal(one.info().parallel, "off");
  assert.equal(par.info().parallel, "shared-memory");
  await assert.rejects(loadModel({ model: MODEL_INT8, parallel: "yes" }), /parallel must be/);
});

test("splitPlan: group size and threshold from the measured policy", () => {
  const policy = { 2: 48, 4: 24 };
  for (const [mode, count, workers, want, p = policy] of [
    ["auto", 1, 1, null],
    ["auto", 1, 2, { k: 2, minTokens: 48 }],
    ["auto", 1, 3, { k: 2, minTokens: 48 }], // 3 was not measured
    ["auto", 1, 8, { k: 4, minTokens: 24 }],
    ["auto", 2, 4, { k: 2, minTokens: 48 }], // fewer texts than workers: each gets 2
    ["auto", 3, 4, null],
    ["auto", 1, 2, null, {}], // nothing measured faster: never split
    ["always", 1, 3, { k: 3, minTokens: 0 }],
    ["always", 2, 5, { k: 2, minTokens: 0 }],
    ["always", 2, 3, null],
  ]) {
    assert.deepEqual(splitPlan(mode, count, workers, p), want, `${mode} ${count} texts on ${workers}`);
  }
});

test("a barrier nobody else reaches times out and aborts the call", () => {
  const shared = new SharedRegions().prepare(64);
  const memory = () => ({ buffer: new ArrayBuffer(64) });
  const exchange = partExchange(memory, { ...shared, count: 2, timeoutMs: 20 });
  assert.match(exchange(0, 4, 2, 0, 1), /did not reach the barrier within 20 ms/);
  assert.match(exchange(0, 4, 2, 0, 1), /split call aborted/);
});

test("parallel: \"always\" splits short texts too, with the same bits", async () => {
  const always = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "always" });
  try {
    // "a" is 3 tokens: part 1 of 2 owns no row.
    for (const text of [SHORT, "a", MEDIUM]) assert.equal(maxAbsDiff(await always.embed(text), await one.embed(text)), 0, text);
  } finally {
    always.dispose();
  }
});

test("a batch with fewer texts than workers is split over them, with the same bits", async () => {
  const four = await loadModel({ model: MODEL_INT8, workers: 4, parallel: "always" });
  try {
    const texts = [LONG, MEDIUM];
    const want = await one.embed(texts);
    const got = await four.embed(texts);
    got.forEach((v, i) => assert.equal(maxAbsDiff(v, want[i]), 0, `text ${i}`));
    // 3 texts on 4 workers: one worker each, none split.
    const three = [LONG, MEDIUM, SHORT];
    const wantThree = await one.embed(three);
    (await four.embed(three)).forEach((v, i) => assert.equal(maxAbsDiff(v, wantThree[i]), 0, `text ${i} of 3`));
  } finally {
    four.dispose();
  }
});

test("split texts give the one-worker vectors, bit for bit (int8)", async () => {
  for (const [text, opts] of [[LONG, {}], [MEDIUM, {}], [SHORT, {}], [LONG, { pooling: "max", layer: -2 }], [LONG, { tokens: true }]]) {
    const want = await one.embed(text, opts);
    const got = await par.embed(text, opts);
    if (opts.tokens) {
      assert.equal(maxAbsDiff(got.vector, want.vector), 0);
      assert.equal(got.tokens.length, want.tokens.length);
      got.tokens.forEach((t, i) => assert.equal(maxAbsDiff(t.vector, want.tokens[i].vector), 0, `token ${i}`));
    } else {
      assert.equal(maxAbsDiff(got, want), 0, `${text.slice(0, 20)} ${JSON.stringify(opts)}`);
    }
  }
});

test("a worker that dies during a split call fails it clearly and the pool recovers", async () => {
  const b = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "auto", workerURL: new URL("./split-crash-worker.js", import.meta.url) });
  try {
    await assert.rejects(b.embed(LONG + "__crash__"), /worker crashed/);
    // The replacement loads the model again; the next split call uses it.
    const want = await one.embed(LONG);
    assert.equal(maxAbsDiff(await b.embed(LONG), want), 0);
  } finally {
    b.dispose();
  }
});

test("dispose() during a split call rejects it and leaves no worker waiting", async () => {
  const b = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "auto" });
  const p = b.embed(LONG);
  setTimeout(() => b.dispose(), 20);
  await assert.rejects(p, /disposed|aborted/);
});

test("mixed calls keep working: splits, short texts, batches, concurrent", async () => {
  const texts = [LONG, SHORT, MEDIUM];
  const want = await one.embed(texts);
  const calls = [];
  for (let i = 0; i < 150; i++) {
    if (i % 5 === 4) calls.push(par.embed(texts).then((vs) => vs.forEach((v, k) => assert.equal(maxAbsDiff(v, want[k]), 0))));
    else calls.push(par.embed(texts[i % 3]).then((v) => assert.equal(maxAbsDiff(v, want[i % 3]), 0, `call ${i}`)));
    if (i % 10 === 9) await Promise.all(calls.splice(0));
  }
  await Promise.all(calls);
});
