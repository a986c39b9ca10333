// parallel: "auto" in Chromium: split across 2 workers on a cross-origin
// isolated page (COOP/COEP), "off" without those headers; the vector equals
// Node's one-worker vector either way.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { loadModel, CHROMIUM, CHROMIUM_FLAGS, ENGINE_DIR, MODEL_INT8, ROOT, maxAbsDiff, requireFile, serve } from "./helpers.js";

const TEXT = "The quick brown fox jumps over the lazy dog and keeps running across the field. ".repeat(7);
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

let context;
let userDir;
const servers = [];

async function serveSite(headers) {
  const page = `<!doctype html><meta charset="utf-8"><script type="module" src="/test/parallel-page.js"></script>`;
  const routes = {
    "/": { body: Buffer.from(page), type: "text/html" },
    "/test/parallel-page.js": { file: new URL("browser/parallel-page.js", import.meta.url), type: "text/javascript" },
    "/models/m.wbm": { file: MODEL_INT8 },
    "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" },
  };
  for (const f of ["wasmbert.wasm", "wasmbert-parallel.wasm"]) routes[`/dist/engine/${f}`] = { file: new URL(f, ENGINE_DIR), type: "application/wasm" };
  routes["/dist/engine/wasm_exec.js"] = { file: new URL("wasm_exec.js", ENGINE_DIR), type: "text/javascript" };
  for (const f of await readdir(new URL("js/", ROOT))) {
    if (f.endsWith(".js")) routes[`/js/${f}`] = { file: new URL(`js/${f}`, ROOT), type: "text/javascript" };
  }
  for (const r of Object.values(routes)) r.headers = headers;
  const s = await serve(routes);
  servers.push(s);
  return s;
}

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(new URL("wasmbert-parallel.wasm", ENGINE_DIR), "./build.sh wasm");
  userDir = await mkdtemp(join(tmpdir(), "wasmbert-chromium-parallel-"));
  context = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, headless: true, args: ["--headless", ...CHROMIUM_FLAGS] });
});

after(async () => {
  await context?.close();
  for (const s of servers) await s.close();
  if (userDir) await rm(userDir, { recursive: true, force: true });
});

async function runOn(server) {
  const page = await context.newPage();
  try {
    await page.goto(server.url("/"));
    await page.waitForFunction(() => window.ready === true);
    return await page.evaluate((a) => window.run(a), { model: "/models/m.wbm", text: TEXT, parallel: "auto" });
  } finally {
    await page.close();
  }
}

test("chromium: split with COOP/COEP, not without; same vector as Node", async () => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  const want = await node.embed(TEXT);
  node.dispose();
  const isolated = await runOn(await serveSite(ISOLATION));
  assert.equal(isolated.isolated, true);
  assert.equal(isolated.parallel, "shared-memory");
  assert.ok(maxAbsDiff(Float32Array.from(isolated.vector), want) <= 1e-6, "isolated page vector");
  const plain = await runOn(await serveSite({}));
  assert.equal(plain.isolated, false);
  assert.equal(plain.parallel, "off");
  assert.ok(maxAbsDiff(Float32Array.from(plain.vector), want) <= 1e-6, "plain page vector");
});
