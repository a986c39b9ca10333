// The engine build a model gets: wasmbert.wasm (core, WordPiece only) or
// wasmbert-families.wasm (BPE and Unigram tokenizers too), chosen from the
// model file's header as it streams in (js/engine-choice.js).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { CORE_ENGINE, FAMILIES_ENGINE, HeaderScanner, engineFor } from "../engine-choice.js";
import { load } from "../index.js";
import { cosine } from "../vectors.js";
import { ENGINE_DIR, ROOT, nativeCLI, requireFile, serve } from "./helpers.js";

// Tiny random checkpoints of each tokenizer family with transformers'
// reference ids and sentence-transformers' embeddings (tools/reference).
const FAMILIES = [
  { name: "tiny", tokenizer: "wordpiece", engine: CORE_ENGINE },
  { name: "tiny_roberta", tokenizer: "bpe", engine: FAMILIES_ENGINE },
  { name: "tiny_xlmr", tokenizer: "unigram", engine: FAMILIES_ENGINE },
];

let dir;
let server;
const models = {};
before(async () => {
  for (const f of [CORE_ENGINE, FAMILIES_ENGINE]) await requireFile(new URL(f, ENGINE_DIR), "./build.sh wasm");
  // The engine is served over HTTP below; Node cannot import() wasm_exec.js from there.
  await import(new URL("wasm_exec.js", ENGINE_DIR).href);
  dir = await mkdtemp(join(tmpdir(), "wasmbert-engine-choice-"));
  const cli = await nativeCLI();
  const routes = {};
  for (const f of FAMILIES) {
    const out = join(dir, `${f.name}.wbm`);
    const ckpt = new URL(`model/bert/testdata/${f.name}`, ROOT).pathname;
    await promisify(execFile)(cli, ["convert", "--in", ckpt, "--out", out, "--dtype", "f32"]);
    models[f.name] = await readFile(out);
    routes[`/${f.name}.wbm`] = { file: pathToFileURL(out) };
  }
  for (const f of [CORE_ENGINE, FAMILIES_ENGINE]) {
    routes[`/engine/${f}`] = { file: new URL(f, ENGINE_DIR), type: "application/wasm" };
    routes[`/core-only/${f}`] = f === CORE_ENGINE ? routes[`/engine/${f}`] : { status: 404 };
  }
  server = await serve(routes);
});

after(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const fetched = () => server.requests.splice(0).filter((p) => p.endsWith(".wasm"));

test("each model is fetched with the engine its tokenizer needs, and only that one", async () => {
  for (const f of FAMILIES) {
    server.requests.length = 0;
    const bert = await load({ model: server.url(`/${f.name}.wbm`), engineURL: server.url("/engine/"), workers: 0 });
    try {
      assert.deepEqual(fetched(), [`/engine/${f.engine}`], f.name);
      assert.equal(bert.info().tokenizer, f.tokenizer);
      const ref = JSON.parse(await readFile(new URL(`model/bert/testdata/${f.name}_reference.json`, ROOT), "utf8"));
      for (const c of ref.cases) {
        assert.deepEqual(Array.from((await bert.tokenize(c.text)).ids), c.ids, `${f.name}: ${JSON.stringify(c.text)}`);
        const cos = cosine(await bert.embed(c.text), Float32Array.from(c.embedding));
        assert.ok(cos >= 0.99999, `${f.name}: ${JSON.stringify(c.text)}: cosine ${cos}`);
      }
    } finally {
      bert.dispose();
    }
  }
});

test("a site without the families engine says which file to host", async () => {
  server.requests.length = 0;
  await assert.rejects(
    load({ model: server.url("/tiny_roberta.wbm"), engineURL: server.url("/core-only/"), workers: 0 }),
    (err) => {
      assert.match(err.message, /needs the families engine \(wasmbert-families\.wasm; its tokenizer is bpe/);
      assert.match(err.message, /HTTP 404/);
      assert.match(err.message, /Host wasmbert-families\.wasm beside wasmbert\.wasm/);
      return true;
    },
  );
  assert.deepEqual(fetched(), ["/core-only/wasmbert-families.wasm"]);
  // The WordPiece model there still loads.
  const bert = await load({ model: server.url("/tiny.wbm"), engineURL: server.url("/core-only/"), workers: 0 });
  bert.dispose();
});

test("engine: 'core' or 'families' overrides the choice; the core engine refuses a BPE model by name", async () => {
  server.requests.length = 0;
  await assert.rejects(
    load({ model: server.url("/tiny_roberta.wbm"), engineURL: server.url("/engine/"), workers: 0, engine: "core" }),
    /this model needs the families engine \(wasmbert-families\.wasm\): its tokenizer is bpe/,
  );
  assert.deepEqual(fetched(), ["/engine/wasmbert.wasm"]);
  const bert = await load({ model: server.url("/tiny.wbm"), engineURL: server.url("/engine/"), workers: 0, engine: "families" });
  bert.dispose();
  assert.deepEqual(fetched(), ["/engine/wasmbert-families.wasm"]);
  await assert.rejects(load({ model: models.tiny, engine: "all" }), { name: "TypeError", message: /engine must be "auto", "core" or "families"/ });
});

test("a damaged cached copy that chose the core engine heals onto the families engine", async () => {
  const cache = { dir: join(dir, "heal-cache") };
  const model = server.url("/tiny_roberta.wbm");
  (await load({ model, engineURL: server.url("/engine/"), workers: 0, cache })).dispose();
  const [entry] = (await readdir(cache.dir)).filter((f) => f.endsWith(".wbm"));
  await writeFile(join(cache.dir, entry), new Uint8Array(0)); // no header: the core engine's to reject
  server.requests.length = 0;
  const events = [];
  const bert = await load({ model, engineURL: server.url("/engine/"), workers: 0, cache, onProgress: (e) => events.push(e) });
  try {
    assert.equal(events.filter((e) => e.phase === "heal").length, 1);
    assert.deepEqual(fetched(), ["/engine/wasmbert.wasm", "/engine/wasmbert-families.wasm"]);
    assert.equal(bert.info().tokenizer, "bpe");
    const ref = JSON.parse(await readFile(new URL("model/bert/testdata/tiny_roberta_reference.json", ROOT), "utf8"));
    assert.deepEqual(Array.from((await bert.tokenize(ref.cases[1].text)).ids), ref.cases[1].ids);
  } finally {
    bert.dispose();
  }
});

test("model bytes choose too: a Unigram model given as bytes loads", async () => {
  const bert = await load({ model: models.tiny_xlmr, engineURL: ENGINE_DIR, workers: 0 });
  try {
    assert.equal(bert.info().tokenizer, "unigram");
  } finally {
    bert.dispose();
  }
});

// header builds a model file's first bytes around a JSON header text.
function header(json) {
  const body = new TextEncoder().encode(json);
  const out = new Uint8Array(24 + body.length);
  out.set(new TextEncoder().encode("WASMBERT"));
  const v = new DataView(out.buffer);
  v.setUint32(8, 2, true);
  v.setBigUint64(12, BigInt(body.length), true);
  out.set(body, 24);
  return out;
}

// scan feeds bytes to a scanner in pieces of step bytes.
function scan(bytes, step) {
  const s = new HeaderScanner();
  for (let o = 0; o < bytes.length; o += step) {
    const r = s.push(bytes.subarray(o, o + step));
    if (r) return { fields: r, at: o + step };
  }
  return { fields: s.finish(), at: bytes.length };
}

test("the header scanner finds the fields in any split, without reading the vocabulary", () => {
  const vocab = JSON.stringify(Array.from({ length: 5000 }, (_, i) => `tok${i}"\\x`));
  const cases = [
    { json: `{"model":{"hidden_size":4},"tokenizer":{"type":"wordpiece","vocab":${vocab}}}`, want: { tokenizer: "wordpiece", modelType: "" } },
    { json: `{"model":{"model_type":"roberta"},"tokenizer":{"type":"bpe","vocab":${vocab}}}`, want: { tokenizer: "bpe", modelType: "roberta" } },
    // The tokenizer before the model: a WordPiece type waits for the model object.
    { json: `{"tokenizer":{"type":"wordpiece","vocab":[]},"model":{"model_type":"xlnet","n":[1]}}`, want: { tokenizer: "wordpiece", modelType: "xlnet" } },
    // No type: WordPiece, known when the tokenizer object closes.
    { json: `{"model":{},"tokenizer":{"vocab":["type","\\"model_type\\""]}}`, want: { tokenizer: "", modelType: "" } },
    // A key too long to keep does not leave the one before it in force.
    { json: `{"tokenizer":{"type":"wordpiece","${"k".repeat(300)}":"bpe"},"model":{}}`, want: { tokenizer: "wordpiece", modelType: "" } },
    // An escaped key is still the key; a nested "type" is not the tokenizer's.
    { json: `{"model":{"x":{"model_type":"no"}},"tokenizer":{"pipeline":{"type":"no"},"t\\u0079pe":"unigram"}}`, want: { tokenizer: "unigram", modelType: "" } },
  ];
  for (const c of cases) {
    const bytes = header(c.json);
    for (const step of [1, 7, 64, bytes.length]) {
      assert.deepEqual(scan(bytes, step).fields, c.want, `${c.json.slice(0, 60)} in pieces of ${step}`);
    }
  }
  const early = header(cases[1].json);
  assert.ok(scan(early, 1).at < 100, "the choice must not wait for the vocabulary");
  // Not a model file, or a header that is not an object: the engine reports it.
  assert.deepEqual(scan(new TextEncoder().encode("<!doctype html><html>…</html>"), 5).fields, {});
  assert.deepEqual(scan(header(`["tokenizer"]`), 3).fields, {});
  assert.equal(engineFor({}), CORE_ENGINE);
});

test("the converted models' real headers choose as their tokenizer says", () => {
  for (const f of FAMILIES) {
    assert.equal(engineFor(scan(models[f.name], 1 << 16).fields), f.engine, f.name);
  }
});
