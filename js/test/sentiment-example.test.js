// examples/sentiment: the script trains a head on site/data/sentiment.tsv's
// "train" reviews and reports its held-out accuracy (README states it); with
// --head it measures a head `wasmbert convert` wrote for an HF fine-tuned
// checkpoint (here the tiny random one of model/heads/testdata, whose
// accuracy means nothing: the test checks that the path runs end to end).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ENGINE_DIR, MODEL_INT8, ROOT, nativeCLI, requireFile } from "./helpers.js";

const run = promisify(execFile);
const SCRIPT = new URL("examples/sentiment/sentiment.mjs", ROOT).pathname;
// The same floor as site/test/sentiment.test.js: the data must teach a head that
// (34/40 with MiniLM int8 and seed 1 when written).
const FLOOR = 0.8;

let dir;
after(() => dir && rm(dir, { recursive: true, force: true }));

async function example(args) {
  const { stdout } = await run(process.execPath, [SCRIPT, "--json", "--engine", ENGINE_DIR.pathname, ...args]);
  return JSON.parse(stdout);
}

test("the example trains a sentiment head and states its held-out accuracy", async () => {
  await requireFile(MODEL_INT8, "./build.sh models");
  await requireFile(new URL("wasmbert-heads.wasm", ENGINE_DIR), "./build.sh wasm");
  const r = await example(["--model", MODEL_INT8.pathname, "I would never buy this again.", "Works perfectly, five stars."]);
  assert.equal(r.heldOut, 40);
  assert.equal(r.wrong.length, r.heldOut - r.correct);
  assert.equal(r.accuracy, r.correct / r.heldOut);
  assert.ok(r.accuracy >= FLOOR, `held-out accuracy ${r.accuracy} < ${FLOOR}; wrong: ${r.wrong.join(" | ")}`);
  assert.deepEqual(r.texts.map((t) => t.label), ["negative", "positive"]);
});

test("the example measures a converted HF fine-tuned head", async () => {
  dir = await mkdtemp(join(tmpdir(), "wasmbert-sentiment-"));
  const model = join(dir, "seqcls.wbm");
  const ckpt = new URL("model/heads/testdata/hf_ckpt_seqcls", ROOT).pathname;
  await run(await nativeCLI(), ["convert", "--in", ckpt, "--out", model], { env: { ...process.env, WASMBERT_CACHE: dir } });
  const r = await example(["--model", model, "--head", join(dir, "seqcls.head.json"), "the food was good"]);
  assert.equal(r.heldOut, 40);
  assert.equal(r.wrong.length, r.heldOut - r.correct);
  assert.ok(["negative", "positive"].includes(r.texts[0].label));
});
