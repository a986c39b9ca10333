// Hugging Face fine-tuned heads through the library: `wasmbert convert` of
// the tiny BertForSequenceClassification / BertForTokenClassification
// checkpoints in model/heads/testdata writes X.wbm and X.head.json; the
// library loads both and must give the logits transformers gave for the same
// texts (tools/reference/make_hf_checkpoint_fixtures.py), and the entities
// the native CLI finds. Needs ./build.sh wasm and Go.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ENGINE_DIR, ROOT, loadModel, nativeCLI, requireFile } from "./helpers.js";

const run = promisify(execFile);
// |logit - transformers' logit|: float32 sums in another order over a
// 2-layer, 32-wide encoder differ by about 1e-6.
const TOLERANCE = 1e-4;

let dir;
const converted = {};
before(async () => {
  await requireFile(new URL("wasmbert-heads.wasm", ENGINE_DIR), "./build.sh wasm (the heads module)");
  dir = await mkdtemp(join(tmpdir(), "wasmbert-hf-heads-"));
  const bin = await nativeCLI();
  for (const name of ["hf_ckpt_seqcls", "hf_ckpt_tokcls"]) {
    const ckpt = new URL(`model/heads/testdata/${name}/`, ROOT);
    const out = join(dir, `${name}.wbm`);
    await run(bin, ["convert", "--in", ckpt.pathname, "--out", out], { env: { ...process.env, WASMBERT_CACHE: dir } });
    const reference = JSON.parse(await readFile(new URL("reference.json", ckpt), "utf8"));
    converted[name] = { ckpt, model: out, head: join(dir, `${name}.head.json`), cases: reference.cases };
  }
});
after(() => dir && rm(dir, { recursive: true, force: true }));

test("classify with an HF sequence classification head gives transformers' logits", async () => {
  const { model, head, cases } = converted.hf_ckpt_seqcls;
  const bert = await loadModel({ model, cache: false });
  try {
    const h = await bert.loadHead(head);
    assert.equal(h.kind, "classifier");
    assert.deepEqual(h.labels, ["negative", "positive"]);
    const preds = await bert.classify(h, cases.map((c) => c.text));
    preds.forEach((p, i) => {
      const want = cases[i].logits;
      p.logits.forEach((v, j) => assert.ok(Math.abs(v - want[j]) <= TOLERANCE, `${cases[i].text}: logits ${p.logits}, transformers ${want}`));
      assert.equal(p.label, h.labels[want.indexOf(Math.max(...want))]);
    });
    // The same head as bytes, and given to classify() as it is.
    const bytes = await readFile(head);
    assert.deepEqual(await bert.loadHead(bytes), h);
    assert.deepEqual((await bert.classify(JSON.parse(bytes.toString()), cases[0].text)).logits, preds[0].logits);
  } finally {
    bert.dispose();
  }
});

test("ner with an HF token classification head finds what the CLI finds", async () => {
  const { model, head, cases } = converted.hf_ckpt_tokcls;
  const texts = cases.map((c) => c.text);
  const bert = await loadModel({ model, cache: false });
  let got;
  try {
    const h = await bert.loadHead(pathToFileURL(head));
    assert.equal(h.kind, "tagger");
    assert.deepEqual(h.features, { input: "words", words: "first", layer: "-1" });
    got = await bert.ner(h, texts);
  } finally {
    bert.dispose();
  }
  // The CLI's tagger logits match transformers' for every token (cmd/wasmbert TestNERHFHead);
  // its offsets are code points, equal to string indices on these ASCII texts.
  const lines = await cliLines(["ner", "--head", head, "-m", model], texts);
  assert.equal(lines.length, texts.length);
  const entities = (list) => list.map((e) => ({ label: e.label, start: e.start, end: e.end, text: e.text }));
  lines.forEach((line, i) => assert.deepEqual(entities(got[i]), entities(line.entities), texts[i]));
  assert.ok(got.flat().length > 0, "the random tagger finds some entities, so the comparison says something");
});

test("loadHead names what is wrong", async () => {
  const { model, head } = converted.hf_ckpt_seqcls;
  const bert = await loadModel({ model, cache: false });
  try {
    const h = JSON.parse(await readFile(head, "utf8"));
    const narrow = { ...h, features: undefined, layers: [{ in: 16, out: 2, weight: new Array(32).fill(0), bias: [0, 0] }] };
    await assert.rejects(bert.loadHead(narrow), /the head takes 16-dimensional vectors but the model's are 32/);
    await assert.rejects(bert.loadHead(new TextEncoder().encode("not json")), /not a head file \(JSON\)/);
    await assert.rejects(bert.loadHead(join(dir, "missing.head.json")), /missing\.head\.json/);
    await assert.rejects(bert.loadHead({ ...h, kind: "ranker" }), /kind "ranker"/);
    const wrongLabels = { ...h, labels: ["a", "b", "c"] };
    await assert.rejects(bert.loadHead(wrongLabels), /3 labels/);
  } finally {
    bert.dispose();
  }
});

// Runs the native CLI with texts on stdin; its JSON output lines.
async function cliLines(args, texts) {
  const child = spawn(await nativeCLI(), args, { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  child.stdin.end(texts.join("\n") + "\n");
  const code = await new Promise((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`wasmbert ${args.join(" ")}: exit ${code}: ${err}`);
  return out.trim().split("\n").map((l) => JSON.parse(l));
}
