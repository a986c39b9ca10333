// load(): sources, progress, cache, integrity, abort and HTTP failures,
// with the real engine and the converted all-MiniLM-L6-v2.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { openCache } from "../cache.js";
import { loadModel, ENGINE_WASM, MODEL_INT8, requireFile, serve } from "./helpers.js";

let server;
let modelBytes;
let dir;

before(async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  modelBytes = await readFile(MODEL_INT8);
  const flipped = Buffer.from(modelBytes);
  flipped[flipped.length >> 1] ^= 1;
  dir = await mkdtemp(join(tmpdir(), "wasmbert-load-"));
  server = await serve({
    "/m.wbm": { file: MODEL_INT8 },
    "/again.wbm": { file: MODEL_INT8 },
    "/purge.wbm": { file: MODEL_INT8 },
    "/heal.wbm": { file: MODEL_INT8 },
    "/flipped.wbm": { body: flipped },
    "/404.wbm": { status: 404 },
    "/500.wbm": { status: 500 },
    "/trunc.wbm": { file: MODEL_INT8, truncate: 1 << 20 },
    "/slow.wbm": { file: MODEL_INT8, slowBytesPerTick: 64 << 10 },
  });
});

after(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const count = (path) => server.requests.filter((p) => p === path).length;

test("progress is monotonic per phase and ends at total; second load comes from the cache", async () => {
  const cache = { dir: join(dir, "progress") };
  const events = [];
  const bert = await loadModel({ model: server.url("/m.wbm"), workers: 0, cache, onProgress: (e) => events.push(e) });
  try {
    const info = bert.info();
    assert.equal(info.workers, 0);
    const v = await bert.embed("hello world");
    assert.ok(v instanceof Float32Array);
    assert.equal(v.length, 384);
  } finally {
    bert.dispose();
  }
  for (const phase of ["download", "build"]) {
    const ev = events.filter((e) => e.phase === phase);
    assert.ok(ev.length > 1, `${phase}: ${ev.length} events`);
    for (let i = 1; i < ev.length; i++) assert.ok(ev[i].loaded >= ev[i - 1].loaded, `${phase} not monotonic`);
    assert.equal(ev.at(-1).loaded, modelBytes.length);
    assert.equal(ev.at(-1).total, modelBytes.length);
  }
  assert.ok(events.some((e) => e.phase === "compile" && e.loaded === e.total));
  assert.equal(count("/m.wbm"), 1);

  const again = await loadModel({ model: server.url("/m.wbm"), workers: 0, cache });
  again.dispose();
  assert.equal(count("/m.wbm"), 1, "second load must not touch the network");
});

test("model from bytes, Uint8Array view and file path give the same vectors", async () => {
  const sources = [
    modelBytes.buffer.slice(modelBytes.byteOffset, modelBytes.byteOffset + modelBytes.length),
    new Uint8Array(modelBytes),
    MODEL_INT8,
    MODEL_INT8.pathname,
  ];
  let want;
  for (const model of sources) {
    const bert = await loadModel({ model, workers: 0, cache: false });
    const v = await bert.embed("the same sentence");
    bert.dispose();
    want ??= v;
    assert.deepEqual(v, want);
  }
});

test("HTTP failures name the URL and the status", async (t) => {
  const cases = [
    { path: "/404.wbm", want: /404\.wbm.*HTTP 404/ },
    { path: "/500.wbm", want: /500\.wbm.*HTTP 500/ },
    { path: "/trunc.wbm", want: /trunc\.wbm/ },
    { path: "/nothing-here.wbm", want: /nothing-here\.wbm.*HTTP 404/ },
  ];
  for (const c of cases) {
    await t.test(c.path, async () => {
      const cache = { dir: join(dir, "fail") };
      await assert.rejects(loadModel({ model: server.url(c.path), workers: 0, cache }), c.want);
      assert.deepEqual(await readdir(cache.dir), [], "nothing cached");
    });
  }
});

test("garbage and truncated bytes are rejected with a clear error", async (t) => {
  const cases = [
    { name: "empty", bytes: new Uint8Array(0) },
    { name: "garbage", bytes: new TextEncoder().encode("this is not a model file at all") },
    { name: "half", bytes: modelBytes.subarray(0, modelBytes.length >> 1) },
    { name: "header only", bytes: modelBytes.subarray(0, 4096) },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.rejects(loadModel({ model: c.bytes, workers: 0 }), /wasmbert/));
  }
});

test("abort during load rejects with AbortError and caches nothing", async (t) => {
  for (const workers of [0, 1]) {
    await t.test(`workers ${workers}`, async () => {
      const cache = { dir: join(dir, `abort${workers}`) };
      const ac = new AbortController();
      const p = loadModel({
        model: server.url("/slow.wbm"),
        workers,
        cache,
        signal: ac.signal,
        onProgress: (e) => e.phase === "download" && e.loaded > 2 << 20 && ac.abort(),
      });
      await assert.rejects(p, { name: "AbortError" });
      assert.deepEqual(await readdir(cache.dir), []);
    });
  }
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(loadModel({ model: server.url("/m.wbm"), workers: 0, signal: ac.signal }), { name: "AbortError" });
});

test("integrity: match loads, mismatch fails and purges the cache entry", async () => {
  const good = "sha256-" + createHash("sha256").update(modelBytes).digest("base64");
  const bad = createHash("sha256").update("other").digest("hex");
  const cache = { dir: join(dir, "integrity") };
  const bert = await loadModel({ model: server.url("/purge.wbm"), workers: 0, cache, integrity: good });
  bert.dispose();
  assert.equal((await readdir(cache.dir)).length, 1);
  await assert.rejects(loadModel({ model: server.url("/purge.wbm"), workers: 0, cache, integrity: bad }), /integrity/);
  assert.deepEqual(await readdir(cache.dir), [], "mismatching entry purged");
  const before = count("/again.wbm");
  await assert.rejects(loadModel({ model: server.url("/again.wbm"), workers: 0, cache, integrity: bad }), /integrity/);
  assert.equal(count("/again.wbm"), before + 1);
  assert.deepEqual(await readdir(cache.dir), [], "unverified bytes never cached");
});

// The ways a cached file gets damaged on disk, as bytes derived from the model.
const DAMAGE = {
  "flipped byte": (b) => {
    const c = Buffer.from(b);
    c[c.length >> 1] ^= 0x40;
    return c;
  },
  truncated: (b) => b.subarray(0, b.length - 12345),
  empty: () => Buffer.alloc(0),
};

test("a damaged cached file heals within the same load(): dropped, downloaded once, cached again", async (t) => {
  const fresh = await loadModel({ model: modelBytes, workers: 0 });
  const want = await fresh.embed("heal me");
  fresh.dispose();
  const url = server.url("/heal.wbm");
  for (const [kind, damage] of Object.entries(DAMAGE)) {
    for (const workers of kind === "flipped byte" ? [0, 1] : [0]) {
      await t.test(`${kind}, workers ${workers}`, async () => {
        const cache = { dir: join(dir, `heal-${kind.replace(/ /g, "-")}-${workers}`) };
        await (await openCache(cache)).put(url, new Blob([damage(modelBytes)]));
        const before = count("/heal.wbm");
        const events = [];
        const bert = await loadModel({ model: url, workers, cache, onProgress: (e) => events.push(e) });
        try {
          assert.deepEqual(await bert.embed("heal me"), want);
        } finally {
          bert.dispose();
        }
        assert.equal(count("/heal.wbm"), before + 1, "one download");
        const heals = events.filter((e) => e.phase === "heal");
        assert.equal(heals.length, 1);
        assert.match(heals[0].error, /checksum mismatch|truncated/);
        // After the heal event the download starts over and ends at the file size.
        const after = events.slice(events.indexOf(heals[0]) + 1);
        for (const phase of ["download", "build"]) {
          const ev = after.filter((e) => e.phase === phase);
          assert.ok(ev.length > 0, phase);
          for (let i = 1; i < ev.length; i++) assert.ok(ev[i].loaded >= ev[i - 1].loaded, `${phase} monotonic after heal`);
          assert.equal(ev.at(-1).loaded, modelBytes.length);
        }
        const files = await readdir(cache.dir);
        assert.equal(files.length, 1);
        assert.ok((await readFile(join(cache.dir, files[0]))).equals(modelBytes), "the good copy replaced the damaged one");
        const again = await loadModel({ model: url, workers: 0, cache });
        again.dispose();
        assert.equal(count("/heal.wbm"), before + 1, "the next load reads the healed cache");
      });
    }
  }
});

test("a damaged cached file and a damaged download: the load rejects with the download's error", async () => {
  const url = server.url("/flipped.wbm");
  const cache = { dir: join(dir, "heal-twice") };
  await (await openCache(cache)).put(url, new Blob([DAMAGE.truncated(modelBytes)]));
  const events = [];
  const before = count("/flipped.wbm");
  await assert.rejects(loadModel({ model: url, workers: 0, cache, onProgress: (e) => events.push(e) }), (err) => {
    assert.match(err.message, /^wasmbert: http:\/\/127\.0\.0\.1:\d+\/flipped\.wbm: load model: checksum mismatch: tensor /);
    return true;
  });
  assert.equal(events.filter((e) => e.phase === "heal").length, 1);
  assert.equal(count("/flipped.wbm"), before + 1, "downloaded once, not again");
  assert.deepEqual(await readdir(cache.dir), [], "nothing cached");
});

// Each layer (engine, wasm bridge, library) adds its context once.
test("error messages say each context once", async (t) => {
  const flipped = Buffer.from(modelBytes);
  flipped[flipped.length >> 1] ^= 1;
  const cases = [
    { name: "checksum", load: { model: flipped }, want: /^wasmbert: load model: checksum mismatch: tensor [\w.]+: crc32c \d+, header says \d+$/ },
    { name: "truncated bytes", load: { model: modelBytes.subarray(0, modelBytes.length >> 1) }, want: /^wasmbert: load model: model file truncated: tensor [\w.]+ \(\d+ bytes\): (got \d+ bytes: )?unexpected EOF$/ },
    { name: "empty bytes", load: { model: new Uint8Array(0) }, want: /^wasmbert: load model: model file truncated: 24-byte preamble incomplete$/ },
    { name: "HTTP 404", load: { model: server.url("/404.wbm") }, want: /^wasmbert: fetch http:\/\/127\.0\.0\.1:\d+\/404\.wbm: HTTP 404 Not Found$/ },
  ];
  // Through the engine in this thread and through a worker.
  for (const workers of [0, 1]) {
    for (const c of cases) {
      await t.test(`${c.name}, workers ${workers}`, () =>
        assert.rejects(loadModel({ workers, cache: false, ...c.load }), (err) => {
          assert.match(err.message, c.want);
          assert.ok(!repeatsContext(err.message), err.message);
          return true;
        }),
      );
    }
    const bert = await loadModel({ model: modelBytes, workers });
    try {
      await t.test(`embed layer out of range, workers ${workers}`, () =>
        assert.rejects(bert.embed("x", { layer: 99 }), (err) => {
          assert.equal(err.message, "wasmbert: embed: layer 99 out of range for 7 hidden states (0..6 or -7..-1)");
          return true;
        }),
      );
    } finally {
      bert.dispose();
    }
  }
});

function repeatsContext(msg) {
  const parts = msg.split(": ");
  return parts.some((p, i) => i > 0 && p === parts[i - 1]);
}
