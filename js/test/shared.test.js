// load({shared}) in Chromium: pages (tabs) of one origin share one engine in
// a SharedWorker, so the model is downloaded, built and held once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { loadModel, CHROMIUM, CHROMIUM_FLAGS, ENGINE_DIR, ENGINE_WASM, MODEL_INT8, ROOT, maxAbsDiff, requireFile, serve } from "./helpers.js";

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
const TEXTS = ["A man is eating food.", "The girl is carrying a baby.", "Ünïcödé 🤖 漢字"];

let server;
let context;
let userDir;
let want;
const pageErrors = [];

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  const routes = {
    "/": { file: new URL("browser/shared.html", import.meta.url), type: "text/html" },
    "/test/shared-page.js": { file: new URL("browser/shared-page.js", import.meta.url), type: "text/javascript" },
    "/dist/engine/wasmbert.wasm": { file: ENGINE_WASM, type: "application/wasm" },
    "/dist/engine/wasm_exec.js": { file: new URL("wasm_exec.js", ENGINE_DIR), type: "text/javascript" },
    "/models/m.wbm": { file: MODEL_INT8 },
    "/models/other.wbm": { file: MODEL_INT8 },
    "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" },
  };
  for (const f of await readdir(new URL("js/", ROOT))) {
    if (f.endsWith(".js")) routes[`/js/${f}`] = { file: new URL(`js/${f}`, ROOT), type: "text/javascript" };
  }
  for (const r of Object.values(routes)) r.headers = { "content-security-policy": CSP };
  server = await serve(routes);
  userDir = await mkdtemp(join(tmpdir(), "wasmbert-shared-"));
  context = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, headless: true, args: ["--headless", ...CHROMIUM_FLAGS] });
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  want = await node.embed(TEXTS);
  node.dispose();
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDir) await rm(userDir, { recursive: true, force: true });
});

async function openPage(name) {
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
  await page.goto(server.url("/"));
  await page.waitForFunction(() => window.ready === true);
  return page;
}

const requests = (path) => server.requests.filter((p) => p === path).length;

async function assertEmbeds(page, name) {
  const got = await page.evaluate((t) => window.sharedEmbed(t), TEXTS);
  for (let i = 0; i < TEXTS.length; i++) {
    const d = maxAbsDiff(Float32Array.from(got[i]), want[i]);
    assert.ok(d <= 1e-6, `${name}, text ${i}: max |diff| ${d} against Node`);
  }
}

test("two pages loading at once share one engine: one download, one compile", async () => {
  const [a, b] = await Promise.all([openPage("a"), openPage("b")]);
  const loads = await Promise.all([a, b].map((p) => p.evaluate((o) => window.sharedLoad(o), { model: "/models/m.wbm", name: "t1" })));
  assert.equal(requests("/models/m.wbm"), 1, "the model is downloaded once");
  assert.equal(requests("/dist/engine/wasmbert.wasm"), 1, "the engine is compiled once, in the shared worker");
  const downloaded = loads.filter((l) => l.events.includes("download"));
  assert.equal(downloaded.length, 1, `one page streams the model, the other attaches: ${JSON.stringify(loads.map((l) => l.events))}`);
  for (const l of loads) assert.equal(l.info.workers, 1);
  assert.deepEqual(loads[0].info, loads[1].info);
  await Promise.all([assertEmbeds(a, "page a"), assertEmbeds(b, "page b")]);

  // The engine outlives the page that loaded it, and serves a page opened later.
  const loader = loads[0].events.includes("download") ? a : b;
  const other = loader === a ? b : a;
  await loader.evaluate(() => window.sharedDispose());
  await loader.close();
  await assertEmbeds(other, "the remaining page");
  const c = await openPage("c");
  const late = await c.evaluate((o) => window.sharedLoad(o), { model: "/models/m.wbm", name: "t1" });
  assert.deepEqual(late.events, [], "a later page neither compiles nor downloads");
  assert.equal(requests("/models/m.wbm"), 1);
  await assertEmbeds(c, "page c");
  await Promise.all([other.close(), c.close()]);
  assert.deepEqual(pageErrors, []);
});

test("one model per shared name: another model needs another name", async () => {
  const [a, b] = await Promise.all([openPage("x"), openPage("y")]);
  await a.evaluate((o) => window.sharedLoad(o), { model: "/models/m.wbm", name: "t2" });
  await assert.rejects(
    b.evaluate((o) => window.sharedLoad(o), { model: "/models/other.wbm", name: "t2" }),
    /shared worker holds .*m\.wbm; load .*other\.wbm under another shared name/,
  );
  await b.evaluate((o) => window.sharedLoad(o), { model: "/models/other.wbm", name: "t3" });
  await assertEmbeds(b, "other model, other name");
  await Promise.all([a.close(), b.close()]);
});
