// The Manifest V3 extension example (examples/extension) in Chromium: packed
// with every engine file, wasm_exec.js and the model from dist/, loaded
// unpacked with --load-extension, its page embeds text under the extension
// CSP (script-src 'self' 'wasm-unsafe-eval') in a worker, equal to Node's;
// and on a web page, the context-menu actions (driven through the functions
// the menus call) read the page through the content script, embed and
// classify in the offscreen document, and show the result in the page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { loadModel, CHROMIUM, CHROMIUM_FLAGS, ENGINE_DIR, ENGINE_WASM, MODEL_INT8, ROOT, maxAbsDiff, requireFile, serve, HANG_GUARD } from "./helpers.js";
import { pack } from "../../examples/extension/pack.mjs";

const TEXTS = ["A man is eating food.", "Ünïcödé 🤖 漢字", "extensions keep their code inside the package"];

// A web page for the content script: every paragraph is one passage.
const PASSAGES = [
  "The recipe calls for two cups of flour and a pinch of salt.",
  "Our train left the station twenty minutes late because of the snow.",
  "Bake the bread at two hundred degrees until the crust is golden.",
  "The committee will vote on the new budget next Tuesday.",
  "Knead the dough for ten minutes, then let it rise in a warm place.",
  "Astronomers spotted a comet passing close to Jupiter last week.",
];
const QUERY = "how long should I let bread dough rise";
const REVIEW = "The battery died after two days and support never answered my emails.";
const PAGE = `<!doctype html><meta charset="utf-8"><title>passages</title>${PASSAGES.map((p) => `<p>${p}</p>`).join("")}`;

let tmp;
let ext;
let context;
let server;

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  tmp = await mkdtemp(join(tmpdir(), "wasmbert-extension-"));
  ext = join(tmp, "extension");
  await pack(ext, fileURLToPath(MODEL_INT8));
  context = await chromium.launchPersistentContext(join(tmp, "profile"), {
    executablePath: CHROMIUM,
    headless: false, // --headless=new below: the old headless mode has no extensions
    ignoreDefaultArgs: ["--disable-extensions"],
    args: [
      "--headless=new",
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
      ...CHROMIUM_FLAGS,
    ],
  });
  context.setDefaultTimeout(0);
  server = await serve({ "/": { body: Buffer.from(PAGE), type: "text/html" }, "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" } });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test("extension page embeds with the packaged engine and model; vectors equal Node's within 1e-5", { timeout: HANG_GUARD }, async () => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  const want = await node.embed(TEXTS);
  node.dispose();

  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const id = new URL(sw.url()).host;
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  await page.goto(`chrome-extension://${id}/embed.html`);
  const got = await page.evaluate((texts) => globalThis.embedTexts(texts), TEXTS);
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("ready"));
  assert.equal(got.length, TEXTS.length);
  for (let i = 0; i < TEXTS.length; i++) {
    const d = maxAbsDiff(Float32Array.from(got[i]), want[i]);
    assert.ok(d <= 1e-5, `text ${i}: extension vs node max |diff| ${d}`);
  }
  assert.deepEqual(
    requests.filter((u) => !u.startsWith(`chrome-extension://${id}/`)),
    [],
    "everything comes from the extension package",
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("the packed extension holds every engine file the library may load", async () => {
  const built = (await readdir(ENGINE_DIR)).filter((f) => /\.(wasm|js)$/.test(f));
  const packed = await readdir(join(ext, "wasmbert", "dist", "engine"));
  for (const f of ["wasmbert.wasm", "wasmbert-parallel.wasm", "wasmbert-heads.wasm", "wasm_exec.js"]) assert.ok(built.includes(f), `dist/engine/${f} built`);
  assert.deepEqual(packed.sort(), built.sort());
});

// Sentiment training set as the offscreen document reads it.
async function reviews() {
  const tsv = await readFile(new URL("site/data/sentiment.tsv", ROOT), "utf8");
  const rows = tsv.split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => l.split("\t"));
  const train = rows.filter(([set]) => set === "train");
  return { texts: train.map((r) => r[2]), labels: train.map((r) => r[1]) };
}

test("web page: similar passages and sentiment through content script + offscreen document, equal to Node's", { timeout: HANG_GUARD }, async () => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  const wantHits = await node.search(QUERY, PASSAGES, 3);
  const { texts, labels } = await reviews();
  const wantPred = await node.classify(await node.trainClassifier(texts, labels), REVIEW);
  node.dispose();

  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const id = new URL(sw.url()).host;
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  const url = server.url("/");
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.wasmbert === "ready");
  // The menus act on the tab the user is in; the extension may not read tabs' URLs (no "tabs" permission).
  await page.bringToFront();
  const inTab = (fn, arg) =>
    sw.evaluate(async ([fn, arg]) => {
      const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
      return globalThis[fn](tab.id, arg);
    }, [fn, arg]);

  const hits = await inTab("findSimilar", QUERY);
  assert.deepEqual(hits.map((h) => h.index), wantHits.map((h) => h.index), "same passages in the same order as Node");
  hits.forEach((h, i) => {
    assert.ok(Math.abs(h.score - wantHits[i].score) <= 1e-5, `hit ${i}: score ${h.score} vs Node ${wantHits[i].score}`);
    assert.equal(h.text, PASSAGES[h.index]);
  });
  const outlined = await page.evaluate(() => [...document.querySelectorAll("[data-wasmbert-rank]")].map((e) => [Number(e.dataset.wasmbertRank), e.textContent]));
  assert.deepEqual(outlined.sort((a, b) => a[0] - b[0]), hits.map((h, i) => [i + 1, h.text]));
  assert.match(await page.textContent("#wasmbert-result"), /3 passages most similar to/);

  const first = await inTab("classifySelection", REVIEW);
  assert.equal(first.trained, true, "the head is trained on first use");
  assert.equal(first.prediction.label, wantPred.label);
  for (const l of Object.keys(wantPred.scores)) {
    assert.ok(Math.abs(first.prediction.scores[l] - wantPred.scores[l]) <= 0.01, `${l}: ${first.prediction.scores[l]} vs Node ${wantPred.scores[l]}`);
  }
  assert.equal(await page.getAttribute("#wasmbert-result", "data-label"), wantPred.label);
  const again = await inTab("classifySelection", REVIEW);
  assert.equal(again.trained, false, "the saved head is reused");
  assert.deepEqual(again.prediction, first.prediction);

  assert.deepEqual(
    requests.filter((u) => !u.startsWith(`chrome-extension://${id}/`) && !u.startsWith(url)),
    [],
    "the extension fetches nothing from the network",
  );
  assert.deepEqual(errors, []);
  await page.close();
});
