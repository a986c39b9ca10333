// Downstream tasks through the library (js/heads.js, wasm/heads): a
// classifier on model/heads' intents, a NER tagger on its sentences, FAQ
// matching, PCA, saved heads and bad input. Needs ./build.sh wasm models
// and dist/engine/wasmbert-heads.wasm; the native comparison needs Go.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ENGINE_DIR, ROOT, loadModel, requireFile } from "./helpers.js";

const MODEL_F32 = new URL("dist/models/all-MiniLM-L6-v2.f32.wbm", ROOT);
const HEADS_WASM = new URL("wasmbert-heads.wasm", ENGINE_DIR);

let bert;
before(async () => {
  await requireFile(MODEL_F32, "./build.sh models");
  await requireFile(HEADS_WASM, "./build.sh wasm (the heads module)");
  bert = await loadModel({ model: MODEL_F32, cache: false });
});
after(() => bert?.dispose());

async function intents() {
  const text = await readFile(new URL("model/heads/testdata/intents.tsv", ROOT), "utf8");
  const rows = text.split("\n").filter((l) => l.trim()).map((l) => l.split("\t"));
  // The file is in generator (shuffled) order: every fourth row is held out.
  const train = rows.filter((_, i) => i % 4 !== 3);
  const test = rows.filter((_, i) => i % 4 === 3);
  return {
    trainLabels: train.map((r) => r[0]),
    trainTexts: train.map((r) => r[1]),
    testLabels: test.map((r) => r[0]),
    testTexts: test.map((r) => r[1]),
  };
}

function majority(train, test) {
  const count = new Map();
  for (const l of train) count.set(l, (count.get(l) ?? 0) + 1);
  const best = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  return test.filter((l) => l === best).length / test.length;
}

function accuracy(preds, labels) {
  return preds.filter((p, i) => p.label === labels[i]).length / labels.length;
}

// The native build of wasm/heads, with spago's pure Go kernels as under
// WebAssembly; null when Go is not installed.
let nativeBinary;
async function native() {
  if (nativeBinary !== undefined) return nativeBinary;
  const dir = await mkdtemp(join(tmpdir(), "wasmbert-heads-"));
  after(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, "heads");
  try {
    await promisify(execFile)("go", ["build", "-tags", "purego,noasm", "-o", out, "./wasm/heads"], {
      cwd: fileURLToPath(ROOT),
      env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "go1.27.3" },
    });
    nativeBinary = out;
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
    nativeBinary = null;
  }
  return nativeBinary;
}

async function runNative(op, request, vectors) {
  const child = spawn(await native(), [], { stdio: ["pipe", "pipe", "inherit"] });
  const chunks = [];
  child.stdout.on("data", (d) => chunks.push(d));
  const done = new Promise((ok, fail) => child.on("close", (code) => (code === 0 ? ok() : fail(new Error(`native heads: exit ${code}`)))));
  child.stdin.end(JSON.stringify({ op, request, data: vectors.flatMap((v) => Array.from(v)) }));
  await done;
  return JSON.parse(Buffer.concat(chunks).toString());
}

test("classifier on intents beats the majority baseline and equals the native head", async (t) => {
  const d = await intents();
  const clf = await bert.trainClassifier(d.trainTexts, d.trainLabels, { seed: 1 });
  assert.equal(clf.format, "wasmbert-head");
  assert.equal(clf.kind, "classifier");
  const preds = await bert.classify(clf, d.testTexts);
  const acc = accuracy(preds, d.testLabels);
  const base = majority(d.trainLabels, d.testLabels);
  t.diagnostic(`held-out accuracy ${acc.toFixed(3)} on ${d.testTexts.length} texts, majority baseline ${base.toFixed(3)}`);
  assert.ok(acc >= base + (1 - base) / 2, `accuracy ${acc} does not clearly beat the majority ${base}`);
  for (const p of preds) {
    const sum = Object.values(p.scores).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-4, `scores sum to ${sum}`);
    assert.equal(p.label, Object.entries(p.scores).sort((a, b) => b[1] - a[1])[0][0]);
  }

  if ((await native()) === null) return t.skip("go is not installed: no native comparison");
  // The same vectors the library trained on (the engine is deterministic),
  // trained natively: spago's pure Go kernels and Go's IEEE float32
  // arithmetic give the same head bit for bit.
  const vectors = await bert.embed(d.trainTexts);
  const nativeHead = await runNative("trainClassifier", { dim: vectors[0].length, labels: d.trainLabels, features: clf.features, options: { seed: 1 } }, vectors);
  assert.deepEqual(nativeHead, clf, "the native head differs from the WebAssembly one");
  const testVectors = await bert.embed(d.testTexts);
  const nativePreds = await runNative("classify", { head: nativeHead, dim: testVectors[0].length }, testVectors);
  assert.deepEqual(nativePreds.map((p) => p.label), preds.map((p) => p.label));
});

test("saved heads load back and predict the same", async () => {
  const d = await intents();
  const clf = await bert.trainClassifier(d.trainTexts.slice(0, 60), d.trainLabels.slice(0, 60), { seed: 3, epochs: 5, hidden: 8 });
  const text = JSON.stringify(clf);
  const loaded = await bert.loadClassifier(text);
  assert.deepEqual(loaded, clf);
  assert.deepEqual(await bert.classify(text, d.testTexts.slice(0, 10)), await bert.classify(clf, d.testTexts.slice(0, 10)));
  const single = await bert.classify(JSON.parse(text), d.testTexts[0]);
  assert.equal(typeof single.label, "string");

  const tagger = await bert.trainTagger(await nerExamples().then((e) => e.slice(0, 40)), { epochs: 5 });
  const back = await bert.loadTagger(JSON.stringify(tagger));
  assert.deepEqual(back, tagger);
  const s = "Angela Merkel met the board of Siemens in Berlin.";
  assert.deepEqual(await bert.ner(JSON.stringify(back), s), await bert.ner(tagger, s));
});

// ner.jsonl offsets count code points; the library takes string indices.
async function nerExamples() {
  const text = await readFile(new URL("model/heads/testdata/ner.jsonl", ROOT), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const { text, spans } = JSON.parse(l);
      const cps = Array.from(text);
      const at = (cp) => cps.slice(0, cp).join("").length;
      return { text, spans: spans.map((s) => ({ start: at(s.start), end: at(s.end), label: s.label })) };
    });
}

test("NER on unseen names beats a gazetteer of the training names", async (t) => {
  const all = await nerExamples();
  // Hold out every third entity name (in order of first appearance) and
  // test on the sentences that contain one.
  const names = [];
  for (const ex of all) for (const s of ex.spans) if (!names.includes(ex.text.slice(s.start, s.end))) names.push(ex.text.slice(s.start, s.end));
  const heldOut = new Set(names.filter((_, i) => i % 3 === 2));
  const train = [];
  const test_ = [];
  let empty = 0;
  for (const ex of all) {
    const held = ex.spans.some((s) => heldOut.has(ex.text.slice(s.start, s.end)));
    if (held || (ex.spans.length === 0 && empty++ % 3 === 2)) test_.push(ex);
    else train.push(ex);
  }
  const tagger = await bert.trainTagger(train, { seed: 2 });
  assert.equal(tagger.kind, "tagger");
  const found = await bert.ner(tagger, test_.map((ex) => ex.text));
  for (const [i, ents] of found.entries()) {
    for (const e of ents) {
      assert.equal(test_[i].text.slice(e.start, e.end), e.text, "entity offsets are string indices");
      assert.ok(e.score > 0 && e.score <= 1);
    }
  }
  const gazetteer = new Map();
  for (const ex of train) for (const s of ex.spans) gazetteer.set(ex.text.slice(s.start, s.end), s.label);
  const score = f1(test_, found);
  const base = f1(test_, test_.map((ex) => lookup(ex.text, gazetteer)));
  t.diagnostic(`entity F1 ${score.toFixed(3)} on ${test_.length} held-out sentences (trained on ${train.length}), gazetteer ${base.toFixed(3)}`);
  assert.ok(score >= base + (1 - base) / 2, `F1 ${score} does not clearly beat the gazetteer ${base}`);
});

// Exact-match entity F1 (same span and label), as seqeval.
function f1(gold, pred) {
  let tp = 0;
  let np = 0;
  let ng = 0;
  gold.forEach((ex, i) => {
    const want = new Set(ex.spans.map((s) => `${s.start}:${s.end}:${s.label}`));
    ng += want.size;
    np += pred[i].length;
    tp += pred[i].filter((s) => want.has(`${s.start}:${s.end}:${s.label}`)).length;
  });
  if (tp === 0) return 0;
  const p = tp / np;
  const r = tp / ng;
  return (2 * p * r) / (p + r);
}

// Gazetteer names found in text, longest first, without overlaps.
function lookup(text, gazetteer) {
  const names = [...gazetteer.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const taken = new Array(text.length).fill(false);
  const spans = [];
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      const end = at + name.length;
      if (taken.slice(at, end).some(Boolean)) continue;
      taken.fill(true, at, end);
      spans.push({ start: at, end, label: gazetteer.get(name) });
    }
  }
  return spans;
}

test("faq answers like cosine search and rejects off-topic queries", async () => {
  const text = await readFile(new URL("model/faq/testdata/faq.tsv", ROOT), "utf8");
  const entries = text.split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => {
    const [question, answer] = l.split("\t");
    return { question, answer };
  });
  const queries = (await readFile(new URL("model/faq/testdata/queries.tsv", ROOT), "utf8"))
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.split("\t"));
  const some = [...queries.filter(([w]) => w !== "-").slice(0, 4), ...queries.filter(([w]) => w === "-").slice(0, 3)];
  const questions = await bert.embed(entries.map((e) => e.question));
  for (const [want, q] of some) {
    const best = await bert.faq(q, entries);
    const [top] = await bert.search(q, questions, 1);
    assert.equal(best.index, top.index, q);
    assert.ok(Math.abs(best.score - top.score) < 1e-5, `${q}: ${best.score} vs ${top.score}`);
    assert.equal(best.answer, entries[best.index].answer);
    if (want === "-") assert.equal(best.matched, false, `off-topic "${q}" matched "${best.question}"`);
    const three = await bert.faq(q, entries, { k: 3, threshold: 0.99 });
    assert.equal(three.length, 3);
    assert.deepEqual(three.map((r) => r.index), (await bert.search(q, questions, 3)).map((h) => h.index));
    assert.ok(three.every((r) => !r.matched || r.score >= 0.99));
  }
});

test("pca matches the leading eigenvector found by power iteration", async () => {
  const d = await intents();
  const vectors = await bert.embed(d.testTexts.slice(0, 60));
  const points = await bert.pca(vectors, 2);
  assert.equal(points.length, vectors.length);
  assert.ok(points.every((p) => p instanceof Float32Array && p.length === 2));
  const variance = (k) => points.reduce((a, p) => a + p[k] * p[k], 0);
  assert.ok(variance(0) >= variance(1));
  // Reference: centre, then power-iterate X^T X v.
  const dim = vectors[0].length;
  const mean = new Float64Array(dim);
  for (const v of vectors) v.forEach((x, j) => (mean[j] += x / vectors.length));
  const X = vectors.map((v) => Float64Array.from(v, (x, j) => x - mean[j]));
  let v = new Float64Array(dim).fill(1);
  for (let it = 0; it < 200; it++) {
    const xv = X.map((r) => r.reduce((a, x, j) => a + x * v[j], 0));
    const next = new Float64Array(dim);
    X.forEach((r, i) => r.forEach((x, j) => (next[j] += x * xv[i])));
    const n = Math.hypot(...next);
    v = next.map((x) => x / n);
  }
  const ref = X.map((r) => r.reduce((a, x, j) => a + x * v[j], 0));
  const dot = ref.reduce((a, x, i) => a + x * points[i][0], 0);
  const corr = dot / Math.sqrt(ref.reduce((a, x) => a + x * x, 0) * variance(0));
  assert.ok(Math.abs(corr) > 0.999, `first component correlates ${corr} with power iteration`);
});

test("bad input is a clear error", async () => {
  const two = ["where is my parcel", "refund me"];
  const bad = [
    ["empty training set", () => bert.trainClassifier([], []), /empty training set/],
    ["one class", () => bert.trainClassifier(two, ["a", "a"]), /at least 2 distinct labels/],
    ["count mismatch", () => bert.trainClassifier(two, ["a"]), /2 texts but 1 labels/],
    ["empty label", () => bert.trainClassifier(two, ["a", ""]), /label 1 is empty/],
    ["texts not strings", () => bert.trainClassifier([1, 2], ["a", "b"]), TypeError],
    ["negative epochs", () => bert.trainClassifier(two, ["a", "b"], { epochs: -1 }), /epochs must be/],
    ["no tagger examples", () => bert.trainTagger([]), /empty training set/],
    ["span outside text", () => bert.trainTagger([{ text: "Bob", spans: [{ start: 0, end: 9, label: "PER" }] }]), /outside the text/],
    ["BIO label in span", () => bert.trainTagger([{ text: "Bob", spans: [{ start: 0, end: 3, label: "B-PER" }] }]), /bare entity type/],
    ["overlapping spans", () => bert.trainTagger([{ text: "Bob Ross", spans: [{ start: 0, end: 5, label: "PER" }, { start: 4, end: 8, label: "PER" }] }]), /overlaps/],
    ["only O tags", () => bert.trainTagger([{ text: "nothing here", spans: [] }]), /at least 2 distinct tags/],
    ["not JSON", () => bert.loadClassifier("{not json"), /not JSON/],
    ["not a head", () => bert.loadClassifier({ hello: 1 }), /unknown field|format/],
    ["wrong version", () => bert.loadClassifier(head({ version: 99 })), /unsupported version 99/],
    ["wrong kind", () => bert.loadTagger(head({})), /holds a "classifier" head/],
    ["unknown tag at load", () => bert.loadTagger(head({ kind: "tagger", labels: ["O", "PER"] })), /"PER" is not O, B-TYPE or I-TYPE/],
    ["labels and outputs differ", () => bert.loadClassifier(head({ labels: ["a", "b", "c"] })), /2 outputs for 3 labels/],
    ["truncated weights", () => bert.loadClassifier(head({ layers: [{ in: 2, out: 2, weight: [1, 2, 3], bias: [0, 0] }] })), /weight has 3 values/],
    ["wrong dimension", () => bert.classify(head({ features: undefined }), ["hi"]), /384 dimensions, the classifier takes 2/],
    ["tagger given to classify", () => bert.classify(head({ kind: "tagger", labels: ["B-X", "O"] }), ["hi"]), /input|tagger/],
    ["ner with a classifier", () => bert.ner(head({}), "hi"), /trained on features/],
    ["other features", () => bert.classify(head({ features: { input: "sentence", pooling: "mean", layer: "-1" } }), ["hi"], { layer: -2 }), /trained on features/],
    ["pca of one vector", () => bert.pca([new Float32Array(3)], 2), /at least 2 vectors/],
    ["pca ragged", () => bert.pca([new Float32Array(3), new Float32Array(2)], 2), /2 dimensions/],
    ["pca too many dims", () => bert.pca([new Float32Array(3), new Float32Array(3)], 4), /4 components of 3-dimensional/],
    ["faq no entries", () => bert.faq("hi", []), /non-empty array/],
    ["faq bad k", () => bert.faq("hi", [{ question: "q", answer: "a" }], { k: 0 }), /k must be/],
  ];
  for (const [name, fn, want] of bad) await assert.rejects(fn, want, name);
});

// A small well-formed classifier file, with fields replaced.
function head(over) {
  return {
    format: "wasmbert-head",
    version: 1,
    kind: "classifier",
    labels: ["a", "b"],
    features: { input: "sentence", pooling: "mean", layer: "-1" },
    layers: [{ in: 2, out: 2, weight: [1, 0, 0, 1], bias: [0, 0] }],
    ...over,
  };
}
