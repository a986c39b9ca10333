// Parts of the library that need no engine: integrity strings, argument
// checks, vector math, the cache, the version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { digestsEqual, formatIntegrity, parseIntegrity, sha256 } from "../integrity.js";
import { checkEmbedOptions, cosine, topK } from "../vectors.js";
import { openCache } from "../cache.js";
import { VERSION } from "../version.js";
import { load } from "../index.js";

test("VERSION equals package.json version", async () => {
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url)));
  assert.equal(VERSION, pkg.version);
});

test("parseIntegrity", async (t) => {
  const data = new TextEncoder().encode("hello");
  const want = createHash("sha256").update(data).digest();
  const cases = [
    { name: "sri", in: "sha256-" + want.toString("base64"), ok: true },
    { name: "hex", in: want.toString("hex"), ok: true },
    { name: "HEX", in: want.toString("hex").toUpperCase(), ok: true },
    { name: "sha384", in: "sha384-" + want.toString("base64"), ok: false },
    { name: "short hex", in: "abcd", ok: false },
    { name: "bad base64", in: "sha256-!!!", ok: false },
    { name: "number", in: 42, ok: false },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (!c.ok) return assert.throws(() => parseIntegrity(c.in), TypeError);
      assert.ok(digestsEqual(parseIntegrity(c.in), want));
    });
  }
  const got = await sha256(new Blob([data]));
  assert.ok(digestsEqual(got, want));
  assert.equal(formatIntegrity(got), "sha256-" + want.toString("base64"));
});

test("checkEmbedOptions", async (t) => {
  const cases = [
    { name: "empty", in: {}, want: {} },
    { name: "all", in: { pooling: "cls", normalize: false, layer: -2, tokens: true, dimensions: 128 }, want: { pooling: "cls", normalize: false, layer: -2, tokens: true, dimensions: 128 } },
    { name: "chunk true", in: { chunk: true }, want: { chunk: {} } },
    { name: "chunk overlap 0", in: { chunk: { overlap: 0 } }, want: { chunk: { overlap: 0 } } },
    { name: "chunk obj", in: { chunk: { size: 128, overlap: 16 } }, want: { chunk: { size: 128, overlap: 16 } } },
    { name: "bad pooling", in: { pooling: "sum" }, err: TypeError },
    { name: "bad normalize", in: { normalize: "yes" }, err: TypeError },
    { name: "bad layer", in: { layer: 1.5 }, err: TypeError },
    { name: "layer spec", in: { layer: "mean:4" }, want: { layer: "mean:4" } },
    { name: "truncate false chunks", in: { truncate: false }, want: { chunk: {} } },
    { name: "truncate true", in: { truncate: true }, want: {} },
    { name: "bad dimensions", in: { dimensions: 0 }, err: TypeError },
    { name: "prompt", in: { prompt: "query" }, want: { prompt: "query" } },
    { name: "empty prompt", in: { prompt: "" }, err: TypeError },
    { name: "bad prompt", in: { prompt: 1 }, err: TypeError },
    { name: "truncate+chunk", in: { truncate: true, chunk: true }, err: TypeError },
    { name: "null", in: null, err: TypeError },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.err) return assert.throws(() => checkEmbedOptions(c.in), c.err);
      assert.deepEqual(checkEmbedOptions(c.in), c.want);
    });
  }
});

test("cosine and topK", () => {
  const a = Float32Array.of(1, 0, 0);
  const b = Float32Array.of(0, 1, 0);
  const c = Float32Array.of(1, 1, 0);
  assert.equal(cosine(a, a), 1);
  assert.equal(cosine(a, b), 0);
  assert.ok(Math.abs(cosine(a, c) - Math.SQRT1_2) < 1e-7);
  assert.equal(cosine(a, new Float32Array(3)), 0);
  assert.throws(() => cosine(a, Float32Array.of(1, 2)), RangeError);
  assert.deepEqual(topK(a, [b, c, a], 2).map((r) => r.index), [2, 1]);
});

test("file cache stores and deletes whole files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "wasmbert-cache-"));
  try {
    const cache = await openCache({ dir });
    assert.equal(await cache.get("http://x/m.wbm"), null);
    await cache.put("http://x/m.wbm", new Blob([new Uint8Array([1, 2, 3])]));
    const hit = await cache.get("http://x/m.wbm");
    assert.equal(hit.total, 3);
    const got = new Uint8Array(await new Response(hit.body).arrayBuffer());
    assert.deepEqual([...got], [1, 2, 3]);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith(".tmp")), []);
    await cache.delete("http://x/m.wbm");
    assert.equal(await cache.get("http://x/m.wbm"), null);
    assert.equal(await openCache(false), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("load rejects bad options with TypeError", async (t) => {
  const cases = [
    { name: "no options", in: undefined },
    { name: "no model", in: {} },
    { name: "model number", in: { model: 42 } },
    { name: "bad workers", in: { model: new Uint8Array(1), workers: -1 } },
    { name: "bad integrity", in: { model: new Uint8Array(1), integrity: "md5-xyz" } },
    { name: "bad onProgress", in: { model: new Uint8Array(1), onProgress: 1 } },
    { name: "bad cache", in: { model: new Uint8Array(1), cache: "yes" } },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.rejects(load(c.in), TypeError));
  }
});
