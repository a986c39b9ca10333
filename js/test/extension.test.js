// The Manifest V3 extension example (examples/extension) in Chromium: packed
// with the engine, the heads module, wasm_exec.js and the model from dist/,
// loaded unpacked with --load-extension. Its page embeds text under the
// extension CSP (script-src 'self' 'wasm-unsafe-eval') in a worker, equal to
// Node's, and trains a classifier; its content script + offscreen document
// rank a web page's paragraphs as Node's search() does.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { loadModel, CHROMIUM, CHROMIUM_FLAGS, ENGINE_WASM, MODEL_INT8, maxAbsDiff, requireFile, serve } from "./helpers.js";
import { pack } from "../../examples/extension/pack.mjs";

const TEXTS = ["A man is eating food.", "Ünïcödé 🤖 漢字", "extensions keep their code inside the package"];

let tmp;
let context;
let server;

// A web page for the content script: the title is the query (nothing is selected).
const ARTICLE = {
  title: "How to bake sourdough bread at home",
  paragraphs: [
    "Feed the starter the night before so that it is bubbly and active in the morning.",
    "The city council approved a new budget for road repairs on Tuesday evening.",
    "Mix flour, water and salt with the starter, then let the dough rest and fold it every half hour.",
    "Bake the loaf in a hot Dutch oven, first covered, then uncovered until the crust is deep brown.",
    "Our football team lost the away game after a late penalty.",
  ],
};
const ARTICLE_HTML = `<!doctype html><meta charset="utf-8"><title>${ARTICLE.title}</title><h1>Sourdough</h1>${ARTICLE.paragraphs.map((p) => `<p>${p}</p>`).join("")}`;

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  server = await serve({ "/article.html": { body: Buffer.from(ARTICLE_HTML), type: "text/html" }, "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" } });
  tmp = await mkdtemp(join(tmpdir(), "wasmbert-extension-"));
  const ext = join(tmp, "extension");
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
});

after(async () => {
  await context?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test("extension page embeds with the packaged engine and model; vectors equal Node's within 1e-5", async () => {
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

async function extensionId() {
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  return { sw, id: new URL(sw.url()).host };
}

test("the packaged heads module: trainClassifier and classify in the extension page", async () => {
  const { id } = await extensionId();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`chrome-extension://${id}/embed.html`);
  const texts = ["I love this, it is wonderful", "what a great day", "this is terrible", "I hate waiting, awful service"];
  const labels = ["positive", "positive", "negative", "negative"];
  const got = await page.evaluate(([t, l, q]) => globalThis.trainAndClassify(t, l, q), [texts, labels, ["wonderful, I love it", "awful and terrible"]]);
  assert.deepEqual(
    got.map((p) => p.label),
    ["positive", "negative"],
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("content script + offscreen document rank a web page's paragraphs as Node's search() does", async () => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0 });
  const want = await node.search(ARTICLE.title, ARTICLE.paragraphs, 3);
  node.dispose();

  const { sw, id } = await extensionId();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url("/article.html"));
  // What the toolbar button does, for the tab the content script answers in.
  const got = await sw.evaluate(async () => {
    const tabs = await chrome.tabs.query({});
    const failures = [];
    for (const t of tabs) {
      try {
        return await globalThis.rankTab(t.id);
      } catch (err) {
        failures.push(err.message);
      }
    }
    throw new Error(`no tab answered: ${failures.join("; ")}`);
  });
  assert.equal(got.query, ARTICLE.title);
  assert.deepEqual(got.texts, ARTICLE.paragraphs);
  assert.deepEqual(
    got.hits.map((h) => h.index),
    want.map((h) => h.index),
  );
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got.hits[i].score - want[i].score) <= 1e-5, `hit ${i}: ${got.hits[i].score} vs ${want[i].score}`);
  // The content script marked the best paragraph in the page.
  const marked = await page.$$eval("p[data-wasmbert-score]", (ps) => ps.map((p) => p.textContent));
  assert.equal(marked.length, 3);
  assert.ok(marked.includes(ARTICLE.paragraphs[want[0].index]));
  const contexts = await sw.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] })).map((c) => c.documentUrl));
  assert.deepEqual(contexts, [`chrome-extension://${id}/offscreen.html`]);
  assert.deepEqual(errors, []);
  await page.close();
});
