// Prompts end to end: a checkpoint's config_sentence_transformers.json
// prompts survive conversion, info() lists them, and embed({prompt}) gives
// sentence-transformers' encode(prompt_name=) vectors.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { cosine } from "../vectors.js";
import { ENGINE_WASM, ROOT, loadModel, nativeCLI, requireFile } from "./helpers.js";

// The cased test checkpoint has e5-style "query: " and "passage: " prompts
// (tools/reference/make_family_fixtures.py).
const CHECKPOINT = new URL("model/engine/testdata/families/cased", ROOT);

let bert;
let dir;
let fixture;
before(async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  dir = await mkdtemp(join(tmpdir(), "wasmbert-prompt-"));
  const model = join(dir, "cased.wbm");
  await promisify(execFile)(await nativeCLI(), ["convert", "--in", CHECKPOINT.pathname, "--out", model, "--dtype", "f32"]);
  fixture = JSON.parse(await readFile(new URL("model/engine/testdata/families/cased.json", ROOT), "utf8"));
  bert = await loadModel({ model: pathToFileURL(model), workers: 0 });
});
after(async () => {
  bert?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("info() lists the model's prompts", () => {
  assert.deepEqual(bert.info().prompts, fixture.prompts);
});

test("embed with and without a prompt equals sentence-transformers", async () => {
  for (const prompt of ["", "query", "passage"]) {
    const cases = fixture.cases.filter((c) => c.prompt === prompt);
    assert.ok(cases.length > 0);
    const got = await bert.embed(cases.map((c) => c.text), prompt ? { prompt } : {});
    cases.forEach((c, i) => {
      const cos = cosine(got[i], Float32Array.from(c.embedding));
      assert.ok(cos >= 0.9999, `${JSON.stringify(c.text)} with prompt ${JSON.stringify(prompt)}: cosine ${cos}`);
    });
  }
});

test("an unknown prompt is an error naming the model's prompts", async () => {
  await assert.rejects(bert.embed("a", { prompt: "document" }), /prompt "document": the model's prompts are passage, query/);
  await assert.rejects(bert.similarity("a", "b", { prompt: "" }), TypeError);
});
