// Splitting in Chromium: across 2 workers through shared memory on a
// cross-origin isolated page (COOP/COEP); by MessageChannel without those
// headers (parallel: "always"), where "auto" splits only if
// js/split-policy.js has a message threshold. The vector equals Node's
// one-worker vector every way.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { SPLIT_POLICY } from "../split-policy.js";
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

async function runOn(server, parallel) {
  const page = await context.newPage();
  try {
    await page.goto(server.url("/"));
    await page.waitForFunction(() => window.ready === true);
    return await page.evaluate((a) => window.run(a), { model: "/models/m.wbm", text: TEXT, parallel });
  } finally {
    await page.close();
  }
}

test("chromium: split by shared memory with COOP/COEP, by message without; same vector as Node", async () => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  const want = await node.embed(TEXT);
  node.dispose();
  const isolated = await runOn(await serveSite(ISOLATION), "auto");
  assert.equal(isolated.isolated, true);
  assert.equal(isolated.parallel, "shared-memory");
  assert.ok(maxAbsDiff(Float32Array.from(isolated.vector), want) <= 1e-6, "isolated page vector");
  const plainSite = await serveSite({});
  const plain = await runOn(plainSite, "always");
  assert.equal(plain.isolated, false);
  assert.equal(plain.parallel, "message");
  assert.ok(maxAbsDiff(Float32Array.from(plain.vector), want) <= 1e-6, "plain page vector, split by message");
  const auto = await runOn(plainSite, "auto");
  assert.equal(auto.parallel, Object.keys(SPLIT_POLICY.message).length ? "message" : "off");
  assert.ok(maxAbsDiff(Float32Array.from(auto.vector), want) <= 1e-6, "plain page vector, auto");
});
