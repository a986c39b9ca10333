// Long sessions in Chromium: many separate embed() calls in one page must not
// grow memory without bound, results must not drift, and dispose() must end
// the worker.
//
// One page (browser/longrun.html) loads the model with workers: 1 through
// the public API; the worker script is browser/longrun-worker.js, a thin
// wrapper around js/worker.js passed as the public workerURL option, which
// remembers the wasm memory of the Go instance and answers memory probes on
// a BroadcastChannel. Chromium runs with --js-flags=--expose-gc, so every
// reading follows gc() in the worker and in the page. The page's JS heap is
// performance.memory.usedJSHeapSize (--enable-precise-memory-info); the
// worker's is its "JavaScript" entry in performance.measureUserAgentSpecificMemory(),
// which needs a cross-origin isolated page (COOP/COEP headers below) and is
// made eager by --enable-blink-features=ForceEagerMeasureMemory.
//
// Bound checked, as in longrun.test.js: after the last call, wasm memory ≤
// wasm memory after the first tenth of the calls + 4 MiB, and the page and
// worker JS heaps likewise. Every result must equal, bit for bit, the first
// result for the same text (so the last call is compared with an early one).
// WASMBERT_LONGRUN_CALLS (default 10000) sets the count; calls are issued one
// at a time (WASMBERT_LONGRUN_INFLIGHT sets how many may be pending at once).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS, ENGINE_DIR, ENGINE_WASM, MODEL_INT8, ROOT, requireFile, serve, HANG_GUARD } from "./helpers.js";

const CALLS = Number(process.env.WASMBERT_LONGRUN_CALLS) || 10_000;
const INFLIGHT = Number(process.env.WASMBERT_LONGRUN_INFLIGHT) || 1;
const SLACK = 4 << 20;
const HEADERS = {
  "content-security-policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

// Short texts of varied length (0 to ~20 words), scripts and punctuation,
// cycled through the session.
const TEXTS = [
  "hello",
  "A man is eating food.",
  "The girl is carrying a baby.",
  "Ünïcödé 🤖 漢字 and ascii",
  "Two dogs run across a snowy field while their owner throws a ball.",
  "",
  "What is the capital of France?",
  "Le chat dort sur le canapé depuis ce matin.",
  "Embeddings map sentences to vectors, so similar meanings land close together and unrelated ones far apart.",
  "ok",
  "Revenue rose 12% this quarter, driven by subscriptions in Europe and Asia, while hardware sales fell slightly.",
  "e-mail: someone@example.com, phone +1 (555) 010-9999",
  "Rain again.",
  "Machine learning models running in the browser keep user data on the device.",
  "x".repeat(24),
  "How do I reset my password if I no longer have access to the e-mail address on my account?",
];

let server;
let context;
let userDir;
const consoleErrors = [];

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  const page = (f) => new URL(`browser/${f}`, import.meta.url);
  const routes = {
    "/": { file: page("longrun.html"), type: "text/html" },
    "/test/longrun-page.js": { file: page("longrun-page.js"), type: "text/javascript" },
    "/test/longrun-worker.js": { file: page("longrun-worker.js"), type: "text/javascript" },
    "/dist/engine/wasmbert.wasm": { file: ENGINE_WASM, type: "application/wasm" },
    "/dist/engine/wasm_exec.js": { file: new URL("wasm_exec.js", ENGINE_DIR), type: "text/javascript" },
    "/models/m.wbm": { file: MODEL_INT8 },
    "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" },
  };
  for (const f of await readdir(new URL("js/", ROOT))) {
    if (f.endsWith(".js")) routes[`/js/${f}`] = { file: new URL(`js/${f}`, ROOT), type: "text/javascript" };
  }
  for (const r of Object.values(routes)) r.headers = HEADERS;
  server = await serve(routes);
  userDir = await mkdtemp(join(tmpdir(), "wasmbert-chromium-longrun-"));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      ...CHROMIUM_FLAGS,
      "--enable-precise-memory-info",
      "--js-flags=--expose-gc",
      "--enable-blink-features=ForceEagerMeasureMemory",
    ],
  });
  context.setDefaultTimeout(0);
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDir) await rm(userDir, { recursive: true, force: true });
});

test(`chromium: ${CALLS} embed() calls in one page (workers: 1): wasm memory and JS heaps stay bounded, results do not drift; dispose() ends the worker`, { timeout: HANG_GUARD }, async (t) => {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  await page.goto(server.url("/"));
  await page.waitForFunction(() => window.ready === true);

  const run = await page.evaluate((a) => window.longrun(a), { model: "/models/m.wbm", calls: CALLS, texts: TEXTS, inflight: INFLIGHT });
  const mb = (n) => (n === null ? "n/a" : (n / (1 << 20)).toFixed(2) + " MiB");
  t.diagnostic(`${CALLS} calls (${INFLIGHT} in flight) in ${run.seconds.toFixed(1)} s`);
  for (const s of run.samples) {
    t.diagnostic(`after ${s.calls} calls: wasm ${mb(s.wasm)}, worker heap ${mb(s.workerHeap)}, page heap ${mb(s.pageHeap)}`);
  }
  const [, tenth, last] = run.samples;
  assert.equal(last.calls, CALLS);
  for (const k of ["wasm", "workerHeap", "pageHeap"]) {
    assert.equal(typeof last[k], "number", `${k} measured`);
    assert.ok(last[k] <= tenth[k] + SLACK, `${k}: ${mb(last[k])} after ${last.calls} calls > ${mb(tenth[k])} after ${tenth.calls} + ${mb(SLACK)}`);
  }
  assert.deepEqual(run.mismatches, [], "results that differ from the first result for the same text");
  assert.ok(run.last.same && run.last.firstCall < run.last.call, `call ${run.last.call} vs call ${run.last.firstCall}: not equal`);
  t.diagnostic(`call ${run.last.call} equals call ${run.last.firstCall} (same text) bit for bit`);

  assert.equal(page.workers().length, 1, "one engine worker during the session");
  const gone = new Promise((ok) => page.workers()[0].once("close", ok));
  const end = await page.evaluate(() => window.finish());
  assert.match(end.afterDispose ?? "", /wasmbert: used after dispose\(\)/);
  assert.equal(end.probe, null, "the worker still answers after dispose()");
  await gone;
  assert.equal(page.workers().length, 0, "no worker left after dispose()");
  await page.close();
  assert.deepEqual(consoleErrors, []);
});
