// The demo site end to end: built with site/build.mjs, served by
// `wasmbert serve`, driven in Debian's Chromium with playwright-core. Every
// number the page shows is checked against the native engine
// (site/test/expect) on the same model file; then the server is stopped
// and a second visit must still work through the service worker.
//
// Every wait is on a signal the page gives (data-ready, data-model, a
// section's data-state), with no timeout of its own: a loaded 2-core
// machine may take minutes where a fast one takes seconds. HANG_GUARD only
// bounds a hang. Heavy work uses small inputs.
//
//   node --test site/test/
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { access, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS, HANG_GUARD } from "../../js/test/helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SITE = join(ROOT, "dist/site");
const ARTIFACTS = fileURLToPath(new URL("artifacts/", import.meta.url));
const MODELS = { int8: join(ROOT, "dist/models/all-MiniLM-L6-v2.int8.wbm"), f32: join(ROOT, "dist/models/all-MiniLM-L6-v2.f32.wbm") };
// Chromium runs the same Go engine as WebAssembly (with SIMD): results
// agree with native to float32 rounding of a different summation order.
const TOL = 1e-4;
const run = promisify(execFile);
const env = { ...process.env, GOTOOLCHAIN: "go1.27.3" };

let tmp;
let server;
let baseURL;
let context;
const consoleErrors = [];

before(async () => {
  await need(CHROMIUM, "apt-get install -y chromium");
  await need(MODELS.int8, "./build.sh models");
  await need(join(ROOT, "dist/engine/wasmbert.wasm"), "./build.sh wasm");
  await mkdir(ARTIFACTS, { recursive: true });
  tmp = await mkdtemp(join(tmpdir(), "wasmbert-site-"));
  await run(process.execPath, [join(ROOT, "site/build.mjs"), "--out", SITE], { cwd: ROOT });
  await Promise.all([
    run("go", ["build", "-o", join(tmp, "wasmbert"), "./cmd/wasmbert"], { cwd: ROOT, env }),
    run("go", ["build", "-o", join(tmp, "expect"), "./site/test/expect"], { cwd: ROOT, env }),
  ]);
  server = await startServer();
  context = await chromium.launchPersistentContext(join(tmp, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", ...CHROMIUM_FLAGS],
    viewport: { width: 1100, height: 900 },
  });
  // Actions (click, fill) wait only for an element already on screen: a
  // minute means a test bug. Waits for the page's work pass timeout: 0.
  context.setDefaultTimeout(60_000);
});

after(async () => {
  await context?.close();
  server?.kill();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function need(path, how) {
  try {
    await access(path);
  } catch {
    throw new Error(`${path} is missing: run ${how}`);
  }
}

async function freePort() {
  const srv = net.createServer();
  await new Promise((ok) => srv.listen(0, "127.0.0.1", ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

async function startServer() {
  const addr = `127.0.0.1:${await freePort()}`;
  const child = spawn(join(tmp, "wasmbert"), ["serve", "--dir", SITE, "--addr", addr], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((ok, fail) => {
    child.on("exit", (code) => fail(new Error(`wasmbert serve exited with ${code}`)));
    child.stdout.on("data", (d) => d.toString().includes("serving") && ok());
  });
  baseURL = `http://${addr}/`;
  return child;
}

/** Embeds natively: one result {vectors, tokens} per request. */
async function native(model, requests) {
  const child = spawn(join(tmp, "expect"), [], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify({ model, requests }));
  let out = "";
  for await (const d of child.stdout) out += d;
  const code = await new Promise((ok) => child.on("close", ok));
  assert.equal(code, 0, "site/test/expect failed");
  return JSON.parse(out);
}

function cosine(a, b) {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) (d += a[i] * b[i]), (na += a[i] * a[i]), (nb += b[i] * b[i]);
  return d / Math.sqrt(na * nb);
}

function near(got, want, what) {
  assert.ok(Math.abs(got - want) <= TOL, `${what}: page ${got}, native ${want}`);
}

async function openPage(name) {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${name}: ${m.text()}`));
  page.on("pageerror", (e) => consoleErrors.push(`${name}: ${e.message}`));
  await page.goto(baseURL);
  await page.waitForSelector("html[data-ready=true]", { timeout: 0 });
  return page;
}

async function loadModel(page, id) {
  await page.check(`#model-choices input[value=${id}]`);
  await page.click("#model-load");
  await page.waitForSelector(`body[data-model=${id}]`, { timeout: 0 });
  await page.waitForSelector(`[data-cache=${id}][data-cached=true]`, { timeout: 0 });
}

/** Shows a demo's tab. */
async function openTab(page, section) {
  await page.click(`#tab-${section}`);
  await page.waitForSelector(`#${section}:not([hidden])`, { timeout: 0 });
}

/** Submits a section's form and waits for it to finish; returns the section. */
async function submit(page, section) {
  await openTab(page, section);
  const s = page.locator(`#${section}`);
  await page.evaluate((id) => delete document.getElementById(id).dataset.state, section);
  await s.locator("form.task button[type=submit]").click();
  await page.waitForFunction((id) => ["done", "error"].includes(document.getElementById(id).dataset.state), section, { timeout: 0 });
  const err = await s.locator(".error").allTextContents();
  assert.deepEqual(err, [], `${section}: error shown`);
  return s;
}

const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const shotOf = (section, name) => section.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

let firstSimilarity;

test("site: every feature matches the native engine, then works offline", { timeout: HANG_GUARD }, async (t) => {
  const page = await openPage("first");

  await t.test("before a model is loaded: the page says what to do, every demo says why it waits", async () => {
    assert.match(await page.textContent("#model-status"), /press “Load model”/);
    assert.equal(await page.textContent("#model-progress-label"), "No model loaded");
    for (const id of ["similarity", "search", "heatmap", "pca", "contextual", "classifier", "ner", "pieces", "recommend"]) {
      await openTab(page, id);
      assert.ok(await page.locator(`#${id} .needs-model`).isVisible(), `${id}: hint shown`);
      assert.ok(await page.locator(`#${id} button[type=submit]`).isDisabled(), `${id}: button waits for the model`);
    }
    await shot(page, "before-load");
  });

  await t.test("model picker: not cached, then loads with progress and is cached", async () => {
    const note = await page.textContent("[data-cache=int8]");
    assert.match(note, /^not cached, 23\.9 MB download$/);
    // int4 is offered, with its size and fidelity.
    assert.match(await page.textContent("[data-cache=int4]"), /^not cached, 17\.1 MB download$/);
    assert.match(await page.textContent("label:has([value=int4]) .fidelity"), /worst 0\.93/);
    // Every state the progress bar goes through, as the user would see it.
    await page.evaluate(() => {
      const bar = document.getElementById("model-progress");
      const label = document.getElementById("model-progress-label");
      window.progressSeen = [];
      new MutationObserver(() => window.progressSeen.push({ label: label.textContent, value: bar.value, max: bar.max })).observe(bar, {
        attributes: true,
      });
    });
    await loadModel(page, "int8");
    const seen = await page.evaluate(() => window.progressSeen);
    const bytes = (await readFile(MODELS.int8)).length;
    for (const phase of ["Downloading", "Building the model"]) {
      const steps = seen.filter((p) => p.label.startsWith(phase));
      assert.ok(steps.length > 0, `${phase} shown`);
      for (let i = 1; i < steps.length; i++) assert.ok(steps[i].value >= steps[i - 1].value, `${phase} never goes back`);
      assert.equal(steps.at(-1).value, bytes, `${phase} ends at the file size`);
    }
    // One step at a time: no flipping back to downloading once building shows.
    const first = seen.findIndex((p) => p.label.startsWith("Building"));
    assert.ok(seen.slice(first).every((p) => !p.label.startsWith("Downloading")), "labels do not flip between steps");
    assert.equal(await page.textContent("#model-progress-label"), "Ready: int8");
    assert.ok(await page.locator("#similarity .needs-model").isHidden(), "hint gone once loaded");
    const bar = await page.$eval("#model-progress", (p) => [p.value, p.max]);
    assert.equal(bar[0], bar[1]);
    assert.equal(await page.textContent("[data-cache=int8]"), `cached, ${(bytes / 1e6).toFixed(1)} MB`);
    assert.match(await page.textContent("#model-status"), /384 dimensions, 6 layers/);
  });

  await t.test("similarity of two texts, from the keyboard", async () => {
    const a = "A man is playing a guitar.";
    const b = "Someone plays an instrument.";
    await openTab(page, "similarity");
    await page.fill("#sim-a", a);
    await page.fill("#sim-b", b);
    await page.focus("#similarity button[type=submit]");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("similarity").dataset.state === "done", undefined, { timeout: 0 });
    await page.evaluate(() => delete document.getElementById("similarity").dataset.state);
    const [r] = await native(MODELS.int8, [{ texts: [a, b] }]);
    firstSimilarity = Number(await page.getAttribute("#sim-out", "data-score"));
    near(firstSimilarity, cosine(r.vectors[0], r.vectors[1]), "similarity");
  });

  await t.test("similarity and search say when a text was cut", async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} of a long report about rivers.`).join(" ");
    const short = "A short note about a river.";
    const [r] = await native(MODELS.int8, [{ texts: [long, short] }]);
    assert.deepEqual(r.truncated, [true, false], "the native engine cuts the long text");
    await openTab(page, "similarity");
    const [a, b] = [await page.inputValue("#sim-a"), await page.inputValue("#sim-b")];
    await page.fill("#sim-a", long);
    await page.fill("#sim-b", short);
    await submit(page, "similarity");
    near(Number(await page.getAttribute("#sim-out", "data-score")), cosine(r.vectors[0], r.vectors[1]), "similarity of the cut text");
    assert.deepEqual(JSON.parse(await page.getAttribute("#sim-out", "data-cut")), [true, false]);
    assert.deepEqual(await page.locator("#sim-out .cut").allTextContents(), [`first text cut at ${r.maxLength} tokens (it has ${r.fullTokens[0]}); the rest was not read`]);
    await shotOf(page.locator("#similarity"), "similarity-cut");
    await page.fill("#sim-a", a);
    await page.fill("#sim-b", b);
    await submit(page, "similarity");
    assert.equal(await page.locator("#sim-out .cut").count(), 0, "no note when nothing was cut");

    await openTab(page, "search");
    await page.check("#search input[value=own]");
    await page.fill("#search-corpus", [short, long].join("\n"));
    await page.fill("#search-q", "rivers");
    await page.fill("#search-k", "2");
    const s = await submit(page, "search");
    const rows = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ index: Number(tr.dataset.index), cut: tr.dataset.cut, note: tr.querySelector(".cut")?.textContent ?? null })));
    assert.equal(rows.length, 2);
    for (const row of rows) {
      const cut = row.index === 1;
      assert.equal(row.cut, String(cut), `row of text ${row.index}`);
      assert.equal(row.note, cut ? `cut at ${r.maxLength} tokens (it has ${r.fullTokens[0]}); the rest was not read` : null);
    }
    await page.fill("#search-corpus", "");
    await page.check("#search input[value=faq]");
  });

  await t.test("settings: pooling and layer reach the engine; normalization shows in the lengths", async () => {
    const a = await page.inputValue("#sim-a");
    const b = await page.inputValue("#sim-b");
    const lengths = async () => JSON.parse(await page.getAttribute("#sim-out", "data-norms"));
    for (const n of await lengths()) near(n, 1, "default (normalized) length");
    await page.selectOption("#opt-pooling", "cls");
    await page.selectOption("#opt-layer", "3");
    await page.selectOption("#opt-normalize", "false");
    await submit(page, "similarity");
    const [r] = await native(MODELS.int8, [{ texts: [a, b], pooling: "cls", layer: "3", normalize: false }]);
    near(Number(await page.getAttribute("#sim-out", "data-score")), cosine(r.vectors[0], r.vectors[1]), "similarity cls layer 3");
    const norms = await lengths();
    norms.forEach((n, i) => near(n, Math.hypot(...r.vectors[i]), `length ${i}`));
    assert.ok(norms.every((n) => Math.abs(n - 1) > 0.1), `unnormalized lengths ${norms} differ from 1`);
    assert.match(await page.textContent("#sim-out"), /dot product .* lengths/);
    await page.selectOption("#opt-pooling", "");
    await page.selectOption("#opt-layer", "");
    await page.selectOption("#opt-normalize", "");
  });

  await t.test("FAQ: top hits and scores of a known query", async () => {
    const faq = (await readFile(join(ROOT, "model/faq/testdata/faq.tsv"), "utf8")).split("\n").filter(Boolean).map((l) => l.split("\t"));
    const queries = (await readFile(join(ROOT, "model/faq/testdata/queries.tsv"), "utf8")).split("\n").filter((l) => l && !l.startsWith("#"));
    const [expected, query] = queries[0].split("\t");
    await openTab(page, "search");
    await page.fill("#search-q", query);
    await page.fill("#search-k", "3");
    const s = await submit(page, "search");
    const [r] = await native(MODELS.int8, [{ texts: [query, ...faq.map((f) => f[0])] }]);
    const want = r.vectors.slice(1).map((v, index) => ({ index, score: cosine(r.vectors[0], v) })).sort((x, y) => y.score - x.score);
    const rows = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ index: Number(tr.dataset.index), score: Number(tr.dataset.score) })));
    assert.equal(rows.length, 3);
    rows.forEach((row, i) => {
      assert.equal(row.index, want[i].index, `rank ${i + 1}`);
      near(row.score, want[i].score, `rank ${i + 1} score`);
    });
    // The data set's own label for this query is the native top hit too.
    assert.equal(faq[want[0].index][0], expected);
    assert.equal(await s.locator("[data-matched]").textContent(), `Answer: ${faq[want[0].index][1]}`);
    await shotOf(s, "faq");
  });

  await t.test("search over pasted texts: the box starts empty, with a placeholder", async () => {
    await openTab(page, "search");
    await page.check("#search input[value=own]");
    assert.equal(await page.inputValue("#search-corpus"), "");
    assert.equal(await page.getAttribute("#search-corpus", "placeholder"), "Paste one document per line.");
    await page.click("#search button[type=submit]");
    await page.waitForFunction(() => document.getElementById("search").dataset.state === "error", undefined, { timeout: 0 });
    assert.equal(await page.textContent("#search-out [role=alert]"), "Paste at least one text, one per line.");
    const docs = ["The train to Paris leaves at noon.", "Bananas are rich in potassium.", "Our flight was delayed by two hours.", "He repaired the bicycle chain."];
    const query = "travel plans were disrupted";
    await page.check("#search input[value=own]");
    await page.fill("#search-corpus", docs.join("\n"));
    await page.fill("#search-q", query);
    await page.fill("#search-k", "2");
    const s = await submit(page, "search");
    const [r] = await native(MODELS.int8, [{ texts: [query, ...docs] }]);
    const want = r.vectors.slice(1).map((v, index) => ({ index, score: cosine(r.vectors[0], v) })).sort((x, y) => y.score - x.score);
    const rows = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ index: Number(tr.dataset.index), score: Number(tr.dataset.score) })));
    assert.equal(rows.length, 2);
    rows.forEach((row, i) => {
      assert.equal(row.index, want[i].index);
      near(row.score, want[i].score, `pasted rank ${i + 1}`);
    });
    await page.check("#search input[value=faq]");
  });

  await t.test("heatmap: every cell", async () => {
    const texts = (await page.inputValue("#heat-texts")).split("\n").map((l) => l.trim()).filter(Boolean);
    const s = await submit(page, "heatmap");
    const [r] = await native(MODELS.int8, [{ texts }]);
    const cells = await s.locator("g[data-score]").evaluateAll((gs) => gs.map((g) => [Number(g.dataset.i), Number(g.dataset.j), Number(g.dataset.score)]));
    assert.equal(cells.length, texts.length ** 2);
    for (const [i, j, v] of cells) near(v, cosine(r.vectors[i], r.vectors[j]), `heatmap ${i},${j}`);
    assert.equal(await s.locator("svg[data-legend=cosine]").count(), 1, "colour legend");
    await shotOf(s, "heatmap");
  });

  await t.test("static vs contextual: word vectors at every layer, layer slider", async () => {
    await openTab(page, "contextual");
    assert.equal(await page.inputValue("#ctx-layer"), "6", "the explorer opens on the last layer");
    const word = await page.inputValue("#ctx-word");
    const sentences = (await page.inputValue("#ctx-sentences")).split("\n").map((l) => l.trim()).filter(Boolean);
    const s = await submit(page, "contextual");
    const layers = [0, 1, 2, 3, 4, 5, 6];
    const res = await native(MODELS.int8, layers.map((l) => ({ texts: sentences, layer: String(l), tokens: true })));
    const spans = sentences.map((x) => byteSpan(x, word)); // the native engine's offsets are bytes
    const want = res.map((r) => {
      const vs = r.tokens.map((toks, i) => meanVector(toks.filter((t) => t.end > t.start && t.start >= spans[i][0] && t.end <= spans[i][1])));
      return vs.map((a) => vs.map((b) => cosine(a, b)));
    });
    const slider = page.locator("#ctx-layer");
    await slider.focus();
    assert.ok(await page.locator('#ctx-out figure[data-layer="6"]').isVisible(), "first result at the last layer");
    for (const layer of [6, 5, 0]) {
      // The slider is driven with the keyboard: End = last layer, arrows step.
      await page.keyboard.press(layer === 6 ? "End" : layer === 0 ? "Home" : "ArrowLeft");
      await page.waitForSelector(`#ctx-out figure[data-layer="${layer}"]`, { timeout: 0 });
      const cells = await s.locator("#ctx-out g[data-score]").evaluateAll((gs) => gs.map((g) => [Number(g.dataset.i), Number(g.dataset.j), Number(g.dataset.score)]));
      assert.equal(cells.length, sentences.length ** 2);
      for (const [i, j, v] of cells) near(v, want[layer][i][j], `layer ${layer} cell ${i},${j}`);
      if (layer === 5) await shotOf(s, "contextual");
    }
    const means = await s.locator("circle[data-mean]").evaluateAll((cs) => cs.map((c) => Number(c.dataset.mean)));
    assert.equal(means.length, layers.length);
  });

  await t.test("bad input gives a clear message, and the page keeps working", async () => {
    await openTab(page, "similarity");
    await page.fill("#sim-a", "   ");
    await page.click("#similarity button[type=submit]");
    await page.waitForFunction(() => document.getElementById("similarity").dataset.state === "error", undefined, { timeout: 0 });
    assert.equal(await page.textContent("#sim-out [role=alert]"), "The first text is empty: enter a text in both boxes.");
    await page.fill("#sim-a", "A man is playing a guitar.");
    await openTab(page, "heatmap");
    const texts = await page.inputValue("#heat-texts");
    await page.fill("#heat-texts", "only one line");
    await page.click("#heatmap button[type=submit]");
    await page.waitForFunction(() => document.getElementById("heatmap").dataset.state === "error", undefined, { timeout: 0 });
    assert.equal(await page.textContent("#heat-out [role=alert]"), "Enter at least two texts, one per line.");
    await openTab(page, "contextual");
    await page.fill("#ctx-word", "bank");
    await page.fill("#ctx-sentences", "A bank.\nNo such word here.");
    await page.click("#contextual button[type=submit]");
    await page.waitForFunction(() => document.getElementById("contextual").dataset.state === "error", undefined, { timeout: 0 });
    assert.match(await page.textContent("#ctx-out [role=alert]"), /Sentence 2 does not contain “bank”/);
    await openTab(page, "heatmap");
    await page.fill("#heat-texts", texts);
    await submit(page, "heatmap");
    // A huge text is truncated by the engine, not an error.
    await openTab(page, "similarity");
    await page.fill("#sim-a", "word ".repeat(20000));
    await submit(page, "similarity");
    assert.ok(Number.isFinite(Number(await page.getAttribute("#sim-out", "data-score"))));
    await page.fill("#sim-a", "A man is playing a guitar.");
  });

  await t.test("PCA: a long run shows progress and can be cancelled; a small one draws labelled axes", async () => {
    await openTab(page, "pca");
    await page.fill("#pca-n", "40");
    await page.click("#pca button[type=submit]");
    await page.click("#pca .busy button");
    await page.waitForFunction(() => document.getElementById("pca").dataset.state === "cancelled", undefined, { timeout: 0 });
    assert.equal(await page.textContent("#pca-out [role=status]"), "Cancelled.");
    assert.equal(await page.locator("#pca .busy").count(), 0, "busy line gone");
    await page.fill("#pca-n", "3");
    const s = await submit(page, "pca");
    assert.equal(await s.locator("circle[data-label]").count(), 30);
    for (const axis of ["x", "y"]) assert.match(await s.locator(`text[data-axis=${axis}]`).textContent(), /^PC [12] \(\d+ % of variance\)$/);
    assert.ok((await s.locator(".legend li").count()) >= 2, "intent legend");
    await shotOf(s, "pca");
  });

  await t.test("classifier: trained in the page's heads worker, with progress, on the typed examples", async () => {
    await openTab(page, "classifier");
    await page.evaluate(() => {
      window.busySeen = [];
      const section = document.getElementById("classifier");
      new MutationObserver(() => {
        const busy = section.querySelector(".busy span");
        if (busy) window.busySeen.push(busy.textContent);
      }).observe(section, { subtree: true, childList: true, characterData: true });
    });
    const s = await submit(page, "classifier");
    const seen = await page.evaluate(() => window.busySeen);
    assert.ok(seen.some((x) => /^Training the head: epoch \d+ of \d+$/.test(x)), `training progress shown: ${seen.slice(0, 5)}`);
    const labels = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.label));
    assert.equal(labels.length, 3);
    for (const l of labels) assert.ok(["order_status", "refund_request", "complaint"].includes(l), `label ${l} is one of the examples'`);
    await shotOf(s, "classifier");
  });

  await t.test("NER: the shipped tagger finds the demo's entities, none of them in its training data, and no false ones", async () => {
    const text = await page.inputValue("#ner-text");
    const training = (await readFile(join(ROOT, "model/heads/testdata/ner.jsonl"), "utf8")) + (await readFile(join(ROOT, "site/data/ner-everyday.txt"), "utf8"));
    const want = [
      ["Ingrid Halvorsen", "PER"],
      ["Volkswagen", "ORG"],
      ["Marseille", "LOC"],
    ];
    for (const [name] of want) assert.ok(!training.includes(name), `${name} is not in the training data`);
    const s = await submit(page, "ner");
    const marks = () => s.locator("mark").evaluateAll((ms) => ms.map((m) => [m.firstChild.textContent, m.dataset.label]));
    assert.deepEqual(await marks(), want);
    await shotOf(s, "ner");
    // The false entities: food, plurals and emoji.
    for (const plain of ["I baked an apple pie and ate two apples 😀", "my cat loves tuna 😺 and pancakes"]) {
      await page.fill("#ner-text", plain);
      await submit(page, "ner");
      assert.deepEqual(await marks(), [], `no entities in “${plain}”`);
    }
    await page.fill("#ner-text", text);
  });

  await t.test("word pieces: an unknown word's pieces and their cosines match the native engine", async () => {
    const text = await page.inputValue("#pieces-text");
    const s = await submit(page, "pieces");
    const [r] = await native(MODELS.int8, [{ texts: [text], tokens: true }]);
    const pieces = r.tokens[0].filter((t) => t.end > t.start);
    const rows = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ start: Number(tr.dataset.start), toSentence: Number(tr.dataset.toSentence) })));
    assert.equal(rows.length, pieces.length);
    rows.forEach((row, i) => {
      // The page shows the library's UTF-16 offsets; the native engine gives UTF-8 bytes.
      assert.equal(row.start, Buffer.from(text).subarray(0, pieces[i].start).toString().length, `piece ${i} offset`);
      near(row.toSentence, cosine(pieces[i].vector, r.vectors[0]), `piece ${i} to sentence`);
    });
    assert.ok(rows.length > text.split(" ").length, "some word was split");
    await shotOf(s, "pieces");
  });

  await t.test("recommendations: a product's neighbours by description match the native engine", async () => {
    const catalogue = (await readFile(join(ROOT, "site/data/products.tsv"), "utf8")).split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t"));
    await openTab(page, "recommend");
    await page.selectOption("#rec-item", "13"); // the coffee grinder
    await page.fill("#rec-k", "3");
    const s = await submit(page, "recommend");
    const [r] = await native(MODELS.int8, [{ texts: catalogue.map((p) => p[1]) }]);
    const want = r.vectors.map((v, index) => ({ index, score: cosine(r.vectors[13], v) })).filter((h) => h.index !== 13).sort((x, y) => y.score - x.score);
    const rows = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ index: Number(tr.dataset.index), score: Number(tr.dataset.score) })));
    assert.equal(rows.length, 3);
    rows.forEach((row, i) => {
      assert.equal(row.index, want[i].index, `rank ${i + 1}`);
      near(row.score, want[i].score, `rank ${i + 1} score`);
    });
    await shotOf(s, "recommend");
  });

  await t.test("layout: every demo is one click away and no tab is taller than 3,200 px", async () => {
    for (const id of ["similarity", "search", "heatmap", "pca", "contextual", "classifier", "ner", "pieces", "recommend"]) {
      await openTab(page, id);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height <= 3200, `${id}: page ${height} px tall`);
      await shot(page, `tab-${id}`);
    }
  });

  await t.test("f32 model: similarity matches native f32", async () => {
    await loadModel(page, "f32");
    const a = await page.inputValue("#sim-a");
    const b = await page.inputValue("#sim-b");
    await submit(page, "similarity");
    const [r] = await native(MODELS.f32, [{ texts: [a, b] }]);
    near(Number(await page.getAttribute("#sim-out", "data-score")), cosine(r.vectors[0], r.vectors[1]), "f32 similarity");
  });

  await t.test("second visit with the server stopped: offline through the service worker; removing models and a failed switch", async () => {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.close();
    server.kill();
    await new Promise((ok) => server.on("exit", ok));
    const again = await openPage("offline");
    assert.equal(await again.evaluate(() => navigator.serviceWorker.controller !== null), true);
    // The cached default loads by itself.
    await again.waitForSelector("body[data-model=int8]", { timeout: 0 });
    await submit(again, "similarity");
    assert.equal(Number(await again.getAttribute("#sim-out", "data-score")), firstSimilarity);
    await shot(again, "offline");
    // Removed models are gone (no copy left in the HTTP cache either), and
    // a model that cannot load leaves the working one in use.
    await again.click("#model-clear");
    await again.waitForSelector("[data-cache=f32][data-cached=false]", { timeout: 0 });
    assert.equal(await again.getAttribute("[data-cache=int8]", "data-cached"), "false");
    await again.check("#model-choices input[value=f32]");
    const quiet = consoleErrors.length;
    await again.click("#model-load");
    await again.waitForFunction(() => /Still using int8/.test(document.getElementById("model-status").textContent), undefined, { timeout: 0 });
    // The browser logs the refused fetches of this deliberate failure.
    const refused = consoleErrors.splice(quiet);
    assert.ok(refused.every((e) => /ERR_CONNECTION_REFUSED/.test(e)), refused.join("\n"));
    assert.equal(await again.getAttribute("body", "data-model"), "int8");
    assert.equal(await again.textContent("#model-progress-label"), "Ready: int8");
    await submit(again, "similarity");
    assert.equal(Number(await again.getAttribute("#sim-out", "data-score")), firstSimilarity);
    await again.close();
  });

  assert.deepEqual(consoleErrors, []);
});

function byteSpan(sentence, word) {
  const m = new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, "iu").exec(sentence);
  assert.ok(m, `"${word}" in "${sentence}"`);
  const start = Buffer.byteLength(sentence.slice(0, m.index));
  return [start, start + Buffer.byteLength(m[0])];
}

function meanVector(tokens) {
  assert.ok(tokens.length > 0, "word has tokens");
  const v = new Float64Array(tokens[0].vector.length);
  for (const t of tokens) for (let k = 0; k < v.length; k++) v[k] += t.vector[k] / tokens.length;
  return v;
}
