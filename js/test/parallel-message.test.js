// Splitting without shared memory, as on a browser page that is not
// crossOriginIsolated: this process says it is not (crossOriginIsolated =
// false, which js/parallel.js believes), so the parts exchange rows by
// MessageChannel (js/parallel-message.js). Same vectors as one worker, a
// worker dying mid-split fails the call and the pool recovers, dispose()
// during a split rejects it. The Chromium page without COOP/COEP runs the
// same path (parallel-browser.test.js). A gather whose peer never sends
// times out, and an abort on the control port ends a pending gather.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ENGINE_DIR, MODEL_INT8, loadModel, maxAbsDiff, requireFile } from "./helpers.js";
import { portExchange } from "../parallel-message.js";

const LONG = "The quick brown fox jumps over the lazy dog and keeps running across the field. ".repeat(7);
const MEDIUM = "A search box embeds one query at a time, and that query is what users wait for. ".repeat(2);

globalThis.crossOriginIsolated = false;

let one, par;
before(async () => {
  await requireFile(new URL("wasmbert-parallel.wasm", ENGINE_DIR), "./build.sh wasm");
  one = await loadModel({ model: MODEL_INT8, workers: 1 });
  par = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "always" });
});
after(() => {
  one?.dispose();
  par?.dispose();
});

test("without shared memory the split exchanges by message, with the same bits", async () => {
  assert.equal(par.info().parallel, "message");
  for (const text of [LONG, MEDIUM, "a"]) assert.equal(maxAbsDiff(await par.embed(text), await one.embed(text)), 0, text.slice(0, 20));
  const got = await par.embed(LONG, { tokens: true });
  const want = await one.embed(LONG, { tokens: true });
  got.tokens.forEach((t, i) => assert.equal(maxAbsDiff(t.vector, want.tokens[i].vector), 0, `token ${i}`));
});

test("message exchange: a silent peer times out, an abort ends the wait", async () => {
  const memory = () => ({ buffer: new ArrayBuffer(64) });
  for (const abort of [false, true]) {
    const peer = new MessageChannel();
    const control = new MessageChannel();
    const gather = portExchange(memory, { ports: [null, peer.port1], control: control.port2, timeoutMs: abort ? 60_000 : 20 });
    const pending = gather(0, 4, 2, 0, 1);
    if (abort) control.port1.postMessage("abort");
    assert.match(await pending, abort ? /split call aborted/ : /did not send its rows within 20 ms/);
    gather.close();
    peer.port2.close();
    control.port1.close();
  }
});

test("message exchange: a batch with fewer texts than workers is split over them", async () => {
  const four = await loadModel({ model: MODEL_INT8, workers: 4, parallel: "always" });
  try {
    const want = await one.embed([LONG, MEDIUM]);
    (await four.embed([LONG, MEDIUM])).forEach((v, i) => assert.equal(maxAbsDiff(v, want[i]), 0, `text ${i}`));
  } finally {
    four.dispose();
  }
});

test("message exchange: a worker that dies mid-split fails the call, the pool recovers", async () => {
  const b = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "always", workerURL: new URL("./split-crash-worker.js", import.meta.url) });
  try {
    await assert.rejects(b.embed(LONG + "__crash__"), /worker crashed/);
    assert.equal(maxAbsDiff(await b.embed(LONG), await one.embed(LONG)), 0);
  } finally {
    b.dispose();
  }
});

test("message exchange: dispose() during a split call rejects it", async () => {
  const b = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "always" });
  const p = b.embed(LONG);
  setTimeout(() => b.dispose(), 20);
  await assert.rejects(p, /disposed|aborted/);
});

test('"auto" without a measured message threshold splits nothing', async () => {
  const auto = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "auto" });
  try {
    // js/split-policy.js decides; with no message entry the split is off.
    const { SPLIT_POLICY } = await import("../split-policy.js");
    assert.equal(auto.info().parallel, Object.keys(SPLIT_POLICY.message).length ? "message" : "off");
  } finally {
    auto.dispose();
  }
});
