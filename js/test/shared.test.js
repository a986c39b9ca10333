// load({shared: true}): tabs of one origin share one engine hosted by a
// SharedWorker (js/shared-worker.js, js/shared-client.js). In Chromium: two
// pages embed through it, the model is fetched and loaded once, the vectors
// are bit-identical to a page's own engine, one page closing leaves the
// other working, and the last one leaving frees the engine. In Node: a clear
// refusal. Memory of two tabs shared and not is reported (not asserted).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "../index.js";
import { CHROMIUM, ENGINE_DIR, ENGINE_WASM, MODEL_INT8, launchChromium, libraryRoutes, openReadyPage, requireFile, serve, HANG_GUARD } from "./helpers.js";

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
const TEXTS = ["A man is eating food.", "The girl is carrying a baby.", "Ünïcödé 🤖 漢字", ""];
const MODEL = "/models/m.wbm";

test("node: shared is refused with the reason", async () => {
  await assert.rejects(load({ model: MODEL_INT8, shared: true }), /shared: Node has no SharedWorker/);
  await assert.rejects(load({ model: MODEL_INT8, shared: "" }), { name: "TypeError", message: /shared must be true or a non-empty name/ });
  await assert.rejects(load({ model: MODEL_INT8, shared: 1 }), { name: "TypeError" });
});

let server;
let context;
let userDir;
const pageErrors = [];

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  const routes = {
    "/": { file: new URL("browser/shared-page.html", import.meta.url), type: "text/html" },
    "/test/shared-page.js": { file: new URL("browser/shared-page.js", import.meta.url), type: "text/javascript" },
    "/dist/engine/wasmbert.wasm": { file: ENGINE_WASM, type: "application/wasm" },
    "/dist/engine/wasm_exec.js": { file: new URL("wasm_exec.js", ENGINE_DIR), type: "text/javascript" },
    [MODEL]: { file: MODEL_INT8 },
    "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" },
  };
  Object.assign(routes, await libraryRoutes());
  for (const r of Object.values(routes)) r.headers = { "content-security-policy": CSP };
  server = await serve(routes);
  userDir = await mkdtemp(join(tmpdir(), "wasmbert-shared-"));
  context = await launchChromium(userDir);
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDir) await rm(userDir, { recursive: true, force: true });
});

const openPage = (name) => openReadyPage(context, server.url("/"), name, pageErrors);

const modelRequests = () => server.requests.filter((p) => p === MODEL).length;
const clients = (page, n) => page.waitForFunction((n) => window.info().shared.clients === n, n);

test("chromium: two tabs share one engine, bit-identical to their own; closing one keeps the other; the last frees it", { timeout: HANG_GUARD }, async () => {
  const own = await openPage("own");
  await own.evaluate((model) => window.openModel({ model, workers: 1 }), MODEL);
  const want = await own.evaluate((texts) => window.embed(texts), TEXTS);
  await own.close();

  const before = modelRequests();
  const a = await openPage("a");
  const b = await openPage("b");
  const [infoA, infoB] = await Promise.all([a, b].map((p) => p.evaluate((model) => window.openModel({ model, shared: true }), MODEL)));
  assert.equal(infoA.shared.name, "wasmbert");
  assert.equal(infoA.dim, infoB.dim);
  await Promise.all([clients(a, 2), clients(b, 2)]);
  assert.equal((await b.evaluate(() => window.info())).shared.loads, 1, "the SharedWorker loaded the model once");
  assert.equal(modelRequests() - before, 1, "the model file was fetched once for both tabs");

  const [gotA, gotB] = await Promise.all([a, b].map((p) => p.evaluate((texts) => window.embed(texts), TEXTS)));
  assert.deepEqual(gotA, want, "tab a: shared engine equals the tab's own, bit for bit");
  assert.deepEqual(gotB, want, "tab b: shared engine equals the tab's own, bit for bit");

  // A tab that goes away without dispose() (closed, crashed) is noticed through its Web Lock.
  await a.close();
  await clients(b, 1);
  assert.deepEqual(await b.evaluate((texts) => window.embed(texts), TEXTS.slice(0, 2)), want.slice(0, 2));

  // Aborting one tab's load does not disturb the engine the others use.
  const c = await openPage("c");
  assert.match(await c.evaluate((model) => window.abortedOpen({ model, shared: true }), MODEL), /^AbortError/);
  await clients(b, 1);
  assert.deepEqual(await b.evaluate((texts) => window.embed(texts), TEXTS.slice(2)), want.slice(2));
  // A load that fails in the SharedWorker fails in the tab, naming the file; the next tries again.
  await assert.rejects(c.evaluate(() => window.openModel({ model: "/models/missing.wbm", shared: true })), /missing\.wbm.*404/);

  // Aborted by the only tab that wanted it, a load stops, and the next one starts afresh.
  assert.match(await c.evaluate((model) => window.abortedOpen({ model, shared: "lonely" }), MODEL), /^AbortError/);
  const lonely = await c.evaluate((model) => window.openModel({ model, shared: "lonely" }), MODEL);
  assert.deepEqual([lonely.shared.name, lonely.shared.loads, lonely.shared.clients], ["lonely", 2, 1]);
  assert.deepEqual(await c.evaluate((texts) => window.embed(texts), TEXTS.slice(0, 1)), want.slice(0, 1));
  await c.close();

  // The last tab leaving frees the engine: the next load is a new one.
  await b.evaluate(() => window.dispose());
  await assert.rejects(b.evaluate(() => window.embed(["x"])), /dispose/);
  const again = await b.evaluate((model) => window.openModel({ model, shared: true }), MODEL);
  assert.equal(again.shared.loads, 2, "loaded again after every tab left");
  assert.equal(again.shared.clients, 1);
  assert.deepEqual(await b.evaluate((texts) => window.embed(texts), TEXTS), want);
  await b.close();
  assert.deepEqual(pageErrors, []);
});

// Proportional set size (PSS) of the browser and all its descendants: RSS
// would count the pages shared between Chromium's processes once per process.
async function chromiumPSS() {
  const procs = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8");
      procs.push({ pid: Number(pid), ppid, cmd });
    } catch {
      // gone meanwhile
    }
  }
  const root = procs.find((p) => p.cmd.includes(userDir) && !p.cmd.includes("--type="));
  assert.ok(root, "chromium's browser process");
  const tree = new Set([root.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!tree.has(p.pid) && tree.has(p.ppid)) grew = tree.add(p.pid) && true;
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

test("chromium: memory of two tabs, shared vs one engine each (reported)", { timeout: HANG_GUARD }, async (t) => {
  const measure = async (options) => {
    const pages = [await openPage("m1"), await openPage("m2")];
    for (const p of pages) await p.evaluate((o) => window.openModel(o), options);
    for (const p of pages) await p.evaluate((texts) => window.embed(texts), TEXTS);
    const mib = await chromiumPSS();
    for (const p of pages) await p.close();
    return mib;
  };
  const idle = await chromiumPSS();
  const own = await measure({ model: MODEL, workers: 1 });
  const shared = await measure({ model: MODEL, shared: "memory" });
  t.diagnostic(`chromium PSS: idle ${idle.toFixed(0)} MiB; two tabs with an engine each ${own.toFixed(0)} MiB; two tabs sharing one ${shared.toFixed(0)} MiB`);
  assert.deepEqual(pageErrors, []);
});
