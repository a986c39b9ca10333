// The library in Chromium (Debian's /usr/bin/chromium driven by
// playwright-core), served from 127.0.0.1 under a strict CSP.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel, CHROMIUM, ENGINE_DIR, ENGINE_WASM, MODEL_INT8, launchChromium, libraryRoutes, openReadyPage, maxAbsDiff, requireFile, serve, HANG_GUARD } from "./helpers.js";

const ARTIFACTS = new URL("artifacts/", import.meta.url);
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
const TEXTS = ["A man is eating food.", "The girl is carrying a baby.", "Ünïcödé 🤖 漢字", ""];

let server;
let context;
let userDir;
const consoleErrors = [];

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  await mkdir(ARTIFACTS, { recursive: true });
  const routes = {
    "/": { file: new URL("browser/page.html", import.meta.url), type: "text/html" },
    "/test/page.js": { file: new URL("browser/page.js", import.meta.url), type: "text/javascript" },
    "/test/worker-client.js": { file: new URL("browser/worker-client.js", import.meta.url), type: "text/javascript" },
    "/dist/engine/wasmbert.wasm": { file: ENGINE_WASM, type: "application/wasm" },
    "/dist/engine/wasm_exec.js": { file: new URL("wasm_exec.js", ENGINE_DIR), type: "text/javascript" },
    "/models/m.wbm": { file: MODEL_INT8 },
    "/models/heal.wbm": { file: MODEL_INT8 },
    "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" },
  };
  Object.assign(routes, await libraryRoutes());
  for (const r of Object.values(routes)) r.headers = { "content-security-policy": CSP };
  server = await serve(routes);
  userDir = await mkdtemp(join(tmpdir(), "wasmbert-chromium-"));
  context = await launchChromium(userDir);
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDir) await rm(userDir, { recursive: true, force: true });
});

const openPage = (name) => openReadyPage(context, server.url("/"), name, consoleErrors);

const modelRequests = () => server.requests.filter((p) => p === "/models/m.wbm").length;

test("chromium: progress, cache, results equal Node, workers 2 equal 1, no console errors", { timeout: HANG_GUARD }, async () => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  const want = await node.embed(TEXTS);
  node.dispose();

  const page = await openPage("first");
  const first = await page.evaluate((a) => window.run(a), { model: "/models/m.wbm", workers: 1, texts: TEXTS });
  await page.screenshot({ path: new URL("chromium-first.png", ARTIFACTS).pathname });
  for (const phase of ["download", "build"]) {
    const ev = first.events.filter((e) => e.phase === phase);
    assert.ok(ev.length > 0, phase);
    for (let i = 1; i < ev.length; i++) assert.ok(ev[i].loaded >= ev[i - 1].loaded, `${phase} monotonic`);
    assert.equal(ev.at(-1).loaded, ev.at(-1).total);
  }
  assert.equal(modelRequests(), 1);
  for (let i = 0; i < TEXTS.length; i++) {
    const d = maxAbsDiff(Float32Array.from(first.vectors[i]), want[i]);
    assert.ok(d <= 1e-5, `text ${i}: chromium vs node max |diff| ${d}`);
  }

  const page2 = await openPage("second");
  const second = await page2.evaluate((a) => window.run(a), { model: "/models/m.wbm", workers: 2, texts: TEXTS });
  await page2.screenshot({ path: new URL("chromium-second.png", ARTIFACTS).pathname });
  assert.equal(modelRequests(), 1, "second load must come from the Cache API");
  // Workers split the batch, which moves the last float bits only.
  for (let i = 0; i < TEXTS.length; i++) {
    const d = maxAbsDiff(Float32Array.from(second.vectors[i]), Float32Array.from(first.vectors[i]));
    assert.ok(d <= 1e-5, `text ${i}: workers 2 vs 1 max |diff| ${d}`);
  }
  const zero = await page2.evaluate((a) => window.run(a), { model: "/models/m.wbm", workers: 0, texts: TEXTS });
  assert.deepEqual(zero.vectors, first.vectors, "workers 0 equals workers 1");
  await page.close();
  await page2.close();
  assert.deepEqual(consoleErrors, []);
});

test("chromium: the library inside a dedicated Web Worker and a SharedWorker equals Node", { timeout: HANG_GUARD }, async (t) => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  const want = await node.embed(TEXTS);
  node.dispose();
  const page = await openPage("in-worker");
  try {
    for (const kind of ["dedicated", "shared"]) {
      await t.test(kind, async () => {
        const got = await page.evaluate((a) => window.runInWorker(a), { kind, model: "/models/m.wbm", texts: TEXTS });
        assert.equal(got.error, undefined);
        assert.equal(got.info.workers, 0);
        for (let i = 0; i < TEXTS.length; i++) {
          const d = maxAbsDiff(Float32Array.from(got.vectors[i]), want[i]);
          assert.ok(d <= 1e-5, `${kind} text ${i}: max |diff| ${d}`);
        }
      });
    }
  } finally {
    await page.close();
  }
  assert.deepEqual(consoleErrors, []);
});

test("chromium: a damaged Cache API entry heals within the same load()", async (t) => {
  const page = await openPage("heal");
  const requests = () => server.requests.filter((p) => p === "/models/heal.wbm").length;
  try {
    for (const kind of ["flipped byte", "truncated", "empty"]) {
      await t.test(kind, async () => {
        // Store a damaged copy under the URL load() will look up.
        const stored = await page.evaluate(async (kind) => {
          const { CACHE_NAME } = await import("/js/cache.js");
          const url = new URL("/models/heal.wbm", location.href).href;
          const bytes = new Uint8Array(await (await fetch(url, { cache: "no-store" })).arrayBuffer());
          const damaged = kind === "empty" ? bytes.subarray(0, 0) : kind === "truncated" ? bytes.subarray(0, bytes.length - 12345) : bytes;
          if (kind === "flipped byte") damaged[damaged.length >> 1] ^= 0x40;
          const headers = { "content-length": String(damaged.length), "content-type": "application/octet-stream" };
          await (await caches.open(CACHE_NAME)).put(url, new Response(damaged, { headers }));
          return { url, size: bytes.length };
        }, kind);
        const before = requests();
        const got = await page.evaluate((a) => window.run(a), { model: "/models/heal.wbm", workers: 1, texts: TEXTS });
        assert.equal(requests(), before + 1, "one download");
        const heals = got.events.filter((e) => e.phase === "heal");
        assert.equal(heals.length, 1);
        assert.match(heals[0].error, /checksum mismatch|truncated/);
        assert.equal(got.events.filter((e) => e.phase === "download").at(-1).loaded, stored.size);
        const cached = await page.evaluate(async (url) => {
          const { CACHE_NAME } = await import("/js/cache.js");
          const res = await (await caches.open(CACHE_NAME)).match(url);
          return res ? (await res.arrayBuffer()).byteLength : -1;
        }, stored.url);
        assert.equal(cached, stored.size, "the good copy replaced the damaged one");
        assert.equal(got.vectors.length, TEXTS.length);
      });
    }
  } finally {
    await page.close();
  }
  assert.deepEqual(consoleErrors, []);
});
