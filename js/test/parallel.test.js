// One text split across the workers (js/parallel.js, parallel: "auto"):
// the vectors equal the one-worker ones, a worker dying mid-call fails that
// call and the pool recovers, dispose() during a split call releases
// everyone, and many mixed calls keep working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ENGINE_DIR, MODEL_INT8, loadModel, requireFile } from "./helpers.js";

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
