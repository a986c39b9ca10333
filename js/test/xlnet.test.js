// XLNet end to end in Node: the tiny random XLNet checkpoint
// (tools/reference/make_xlnet_fixture.py) converted with `wasmbert convert`,
// loaded by the library, embeds and tokenizes as transformers' XLNetModel
// and XLNetTokenizer do (model/xlnet/testdata/tiny_reference.json).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { cosine } from "../vectors.js";
import { ENGINE_WASM, ROOT, loadModel, maxAbsDiff, nativeCLI, requireFile } from "./helpers.js";

const CHECKPOINT = new URL("model/xlnet/testdata/tiny", ROOT);

let dir;
let cases;
const models = {};
before(async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  dir = await mkdtemp(join(tmpdir(), "wasmbert-xlnet-"));
  const ref = JSON.parse(await readFile(new URL("model/xlnet/testdata/tiny_reference.json", ROOT), "utf8"));
  cases = ref.cases.filter((c) => c.pair == null);
  for (const dtype of ["f32", "int8"]) {
    const model = join(dir, `xlnet.${dtype}.wbm`);
    await promisify(execFile)(await nativeCLI(), ["convert", "--in", CHECKPOINT.pathname, "--out", model, "--dtype", dtype]);
    models[dtype] = await loadModel({ model: pathToFileURL(model), workers: 0 });
  }
});
after(async () => {
  for (const m of Object.values(models)) m.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("info() describes the XLNet model", () => {
  const info = models.f32.info();
  assert.equal(info.tokenizer, "unigram");
  assert.equal(info.pooling, "mean");
  assert.equal(info.dim, 32);
  assert.equal(info.layers, 2);
});

test("tokenize() gives XLNetTokenizer's ids and segments: text, <sep>, <cls>", async () => {
  for (const c of cases) {
    const enc = await models.f32.tokenize(c.text);
    assert.deepEqual(enc.ids, c.ids, JSON.stringify(c.text));
    assert.deepEqual(enc.typeIds, c.type_ids, JSON.stringify(c.text));
  }
});

test("mean and last-token vectors equal XLNetModel's (f32 within 1e-5, int8 at cosine 0.999)", async () => {
  const texts = cases.map((c) => c.text);
  for (const [dtype, m] of Object.entries(models)) {
    for (const pooling of ["mean", "lasttoken"]) {
      const got = await m.embed(texts, { pooling, normalize: false });
      let worst = 0;
      let minCos = 1;
      cases.forEach((c, i) => {
        const want = Float32Array.from(pooling === "mean" ? c.mean : c.last);
        worst = Math.max(worst, maxAbsDiff(got[i], want));
        minCos = Math.min(minCos, cosine(got[i], want));
      });
      console.log(`# ${dtype} ${pooling}: max abs diff ${worst.toExponential(2)}, min cosine ${minCos.toFixed(6)}`);
      if (dtype === "f32") assert.ok(worst <= 1e-5, `${dtype} ${pooling}: max abs diff ${worst}`);
      assert.ok(minCos >= 0.999, `${dtype} ${pooling}: min cosine ${minCos}`);
    }
  }
});

test("similarity() runs on XLNet, and a bad pooling is a TypeError", async () => {
  const s = await models.int8.similarity("我想退款", "请把钱退给我");
  assert.ok(s > -1 && s <= 1.000001, `similarity ${s}`);
  await assert.rejects(models.f32.embed("a", { pooling: "last" }), TypeError);
});
