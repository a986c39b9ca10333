// The heads module off the calling thread: training reports its progress,
// leaves the calling thread free, can be cancelled, and the next call after
// a cancel works (the worker restarts). Small inputs: a few texts, many
// cheap epochs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ENGINE_DIR, MODEL_INT8, loadModel, requireFile } from "./helpers.js";

const TEXTS = ["refund my order", "I want my money back", "where is my parcel", "track my package", "the app crashes", "it keeps freezing"];
const LABELS = ["refund", "refund", "delivery", "delivery", "bug", "bug"];

let bert;
before(async () => {
  await requireFile(new URL("wasmbert-heads.wasm", ENGINE_DIR), "./build.sh wasm (the heads module)");
  await requireFile(MODEL_INT8, "./build.sh models");
  bert = await loadModel({ model: MODEL_INT8, cache: false, workers: 1 });
});
after(() => bert?.dispose());

test("trainClassifier reports embed then train progress, in order, and gives the head it gives without", async () => {
  const seen = [];
  const opts = { epochs: 7, seed: 3 };
  const head = await bert.trainClassifier(TEXTS, LABELS, { ...opts, onProgress: (p) => seen.push(p) });
  const embed = seen.filter((p) => p.phase === "embed");
  const train = seen.filter((p) => p.phase === "train");
  assert.equal(seen.length, embed.length + train.length, "only embed and train phases");
  assert.deepEqual(embed.at(-1), { phase: "embed", done: TEXTS.length, total: TEXTS.length });
  assert.deepEqual(train.map((p) => [p.done, p.total]), [1, 2, 3, 4, 5, 6, 7].map((d) => [d, 7]));
  assert.ok(seen.indexOf(train[0]) > seen.indexOf(embed.at(-1)), "training follows embedding");
  assert.deepEqual(head, await bert.trainClassifier(TEXTS, LABELS, opts));
});

test("training leaves the calling thread free: a timer set at the first epoch fires before training ends", async () => {
  // In the calling thread, Go would hold the thread until the last epoch,
  // so the timer could only fire after the result.
  let timerAt = null;
  let epochs = 0;
  let finished = false;
  await bert.trainClassifier(TEXTS, LABELS, {
    epochs: 3000,
    onProgress: (p) => {
      if (p.phase !== "train") return;
      epochs = p.done;
      if (p.done === 1) setTimeout(() => (timerAt = finished ? "after" : epochs));
    },
  });
  finished = true;
  await new Promise((ok) => setTimeout(ok));
  assert.equal(typeof timerAt, "number", `the timer fired ${timerAt} the result`);
  assert.ok(timerAt < 3000, `timer fired at epoch ${timerAt}`);
});

test("abort cancels a training with an AbortError; the next call works", async () => {
  const ac = new AbortController();
  const p = bert.trainClassifier(TEXTS, LABELS, {
    epochs: 100000,
    signal: ac.signal,
    onProgress: (x) => x.phase === "train" && x.done === 2 && ac.abort(),
  });
  await assert.rejects(p, { name: "AbortError" });
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(bert.pca([Float32Array.of(1, 0), Float32Array.of(0, 1)], 1, { signal: pre.signal }), { name: "AbortError" });
  const head = await bert.trainClassifier(TEXTS, LABELS, { epochs: 30, seed: 1 });
  const pred = await bert.classify(head, "please refund me");
  assert.equal(typeof pred.label, "string");
  const pts = await bert.pca([Float32Array.of(1, 0), Float32Array.of(3, 0), Float32Array.of(2, 0)], 1, { onProgress: () => {} });
  assert.equal(pts.length, 3);
});

test("bad control options are clear errors", async () => {
  await assert.rejects(bert.trainClassifier(TEXTS, LABELS, { signal: {} }), /signal must be an AbortSignal/);
  await assert.rejects(bert.trainClassifier(TEXTS, LABELS, { onProgress: 1 }), /onProgress must be a function/);
  await assert.rejects(bert.pca([[1], [2]], 1, { epochs: 3 }), /pca options are signal and onProgress only/);
});
