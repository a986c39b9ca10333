// The site's scenario tabs in Chromium: sentiment (a head trained in the
// page on first use from site/data/sentiment.tsv, with progress, its
// held-out accuracy above the floor; the user's lines added; a cancelled
// long run), entity embeddings (nearest mentions across sentences), the
// prompt selectors of a model that has prompts (hidden for one that has
// none), and the Chinese examples of Similarity and Search (hidden and
// flagged for all-MiniLM-L6-v2, offered for a Chinese-vocabulary model).
// The site is built into its own folder from a models folder holding the
// int8 model and two tiny test checkpoints converted with `wasmbert
// convert` (cased: e5-style "query: "/"passage: " prompts; chinese: the
// bert-base-chinese vocabulary) and the tiny XLNet, so the picker lists
// what was built; their scores are checked against the sentence-transformers
// vectors of model/engine/testdata/families/{cased,chinese}.json and, for
// XLNet, transformers' (model/xlnet/testdata/tiny_reference.json).
//
// Every wait is on a page signal with no timeout of its own (HANG_GUARD
// only bounds a hang); inputs are small.
//
//   node --test site/test/scenarios.test.js
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { access, copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS, HANG_GUARD } from "../../js/test/helpers.js";
import { cosine } from "../../js/vectors.js";
import { parseSentiment } from "../app/data.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Not dist/site: site.test.js rebuilds that one while this file runs.
const SITE = join(ROOT, "dist/site-scenarios");
const ARTIFACTS = fileURLToPath(new URL("artifacts/", import.meta.url));
const FAMILIES = join(ROOT, "model/engine/testdata/families");
const CASED = join(FAMILIES, "cased");
const CHINESE = join(FAMILIES, "chinese");
const XLNET = join(ROOT, "model/xlnet/testdata");
// Chromium runs the engine as WebAssembly: float32 rounding of another summation order.
const TOL = 1e-4;
const run = promisify(execFile);
// The Sentiment tab's reviews, and the held-out accuracy floor of
// sentiment.test.js (measured there: 34 of 40).
const REVIEWS = parseSentiment(await readFile(join(ROOT, "site/data/sentiment.tsv"), "utf8"));
const SENTIMENT_TRAIN = REVIEWS.filter((r) => r.set === "train").length;
const SENTIMENT_HELD_OUT = REVIEWS.filter((r) => r.set === "heldout").length;
const SENTIMENT_FLOOR = 0.8;
const env = { ...process.env, GOTOOLCHAIN: "go1.27.3" };

let tmp;
let server;
let context;
let page;
const consoleErrors = [];

before(async () => {
  for (const [path, how] of [
    [CHROMIUM, "apt-get install -y chromium"],
    [join(ROOT, "dist/models/all-MiniLM-L6-v2.int8.wbm"), "./build.sh models"],
    [join(ROOT, "dist/engine/wasmbert.wasm"), "./build.sh wasm"],
  ]) {
    await access(path).catch(() => {
      throw new Error(`${path} is missing: run ${how}`);
    });
  }
  await mkdir(ARTIFACTS, { recursive: true });
  tmp = await mkdtemp(join(tmpdir(), "wasmbert-scenarios-"));
  const cli = join(tmp, "wasmbert");
  await run("go", ["build", "-o", cli, "./cmd/wasmbert"], { cwd: ROOT, env });
  // The model picker lists the files of the models folder: the int8 model
  // and two tiny test checkpoints converted as a user converts theirs.
  const models = join(tmp, "models");
  await mkdir(models);
  await copyFile(join(ROOT, "dist/models/all-MiniLM-L6-v2.int8.wbm"), join(models, "all-MiniLM-L6-v2.int8.wbm"));
  for (const [name, checkpoint] of [["cased", CASED], ["chinese", CHINESE], ["xlnet", join(XLNET, "tiny")]]) {
    await run(cli, ["convert", "--in", checkpoint, "--out", join(models, `${name}.wbm`), "--dtype", "f32"]);
  }
  await run(process.execPath, [join(ROOT, "site/build.mjs"), "--out", SITE, "--models", models], { cwd: ROOT });
  server = await startServer(cli);
  context = await chromium.launchPersistentContext(join(tmp, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", ...CHROMIUM_FLAGS],
    viewport: { width: 1100, height: 900 },
  });
  context.setDefaultTimeout(60_000);
  page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 0 });
});

after(async () => {
  await context?.close();
  server?.child.kill();
  if (tmp) await rm(tmp, { recursive: true, force: true });
  await rm(SITE, { recursive: true, force: true });
});

async function startServer(cli) {
  const srv = net.createServer();
  await new Promise((ok) => srv.listen(0, "127.0.0.1", ok));
  const addr = `127.0.0.1:${srv.address().port}`;
  await new Promise((ok) => srv.close(ok));
  const child = spawn(cli, ["serve", "--dir", SITE, "--addr", addr], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((ok, fail) => {
    child.on("exit", (code) => fail(new Error(`wasmbert serve exited with ${code}`)));
    child.stdout.on("data", (d) => d.toString().includes("serving") && ok());
  });
  return { child, url: `http://${addr}/` };
}

async function loadModel(id) {
  await page.check(`#model-choices input[value=${id}]`);
  await page.click("#model-load");
  await page.waitForSelector(`body[data-model=${id}]`, { timeout: 0 });
}

async function openTab(section) {
  await page.click(`#tab-${section}`);
  await page.waitForSelector(`#${section}:not([hidden])`, { timeout: 0 });
}

/** Submits a section's form, waits for it to end in `want` and returns the section. */
async function submit(section, want = "done") {
  await openTab(section);
  await page.evaluate((id) => delete document.getElementById(id).dataset.state, section);
  await page.click(`#${section} form.task button[type=submit]`);
  await page.waitForFunction((id) => ["done", "error", "cancelled"].includes(document.getElementById(id).dataset.state), section, { timeout: 0 });
  const s = page.locator(`#${section}`);
  assert.deepEqual(await s.locator(".error").allTextContents(), [], `${section}: error shown`);
  assert.equal(await s.getAttribute("data-state"), want);
  return s;
}

/** Records every text of the section's busy line into window.busySeen from now on. */
async function watchBusy(section) {
  await page.evaluate((id) => {
    window.busySeen = [];
    window.busyObserver?.disconnect();
    const el = document.getElementById(id);
    window.busyObserver = new MutationObserver(() => {
      const busy = el.querySelector(".busy span");
      if (busy) window.busySeen.push(busy.textContent);
    });
    window.busyObserver.observe(el, { subtree: true, childList: true, characterData: true });
  }, section);
}

/** The held-out score the Sentiment tab computed: {correct, total}. */
const heldOut = () => page.evaluate(() => ({ correct: Number(document.getElementById("sent-about").dataset.correct), total: Number(document.getElementById("sent-about").dataset.total) }));

/** [{label, score}] of the section's result table. */
const rows = (s) => s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ label: tr.dataset.label, score: Number(tr.dataset.score) })));

test("scenarios: sentiment, entity embeddings and prompts", { timeout: HANG_GUARD }, async (t) => {
  await t.test("model picker: lists the model files the site was built with", async () => {
    const ids = await page.locator("#model-choices input").evaluateAll((is) => is.map((i) => i.value));
    assert.deepEqual(ids, ["int8", "cased", "chinese", "xlnet"]);
    assert.match(await page.textContent("label:has([value=chinese])"), /chinese/);
  });

  await loadModel("int8");

  await t.test("sentiment: trained in the page on first use, with progress; states its held-out accuracy, above the floor; labels clear cases", async () => {
    const texts = ["This is the best purchase I have made all year, I love it.", "Awful. It stopped working after two days and nobody answered my emails."];
    await openTab("sentiment");
    await watchBusy("sentiment");
    await page.fill("#sent-texts", texts.join("\n"));
    const s = await submit("sentiment");
    const seen = await page.evaluate(() => window.busySeen);
    assert.ok(seen.some((x) => /^Training the head: epoch \d+ of \d+$/.test(x)), `training progress shown: ${seen.slice(0, 5)}`);
    assert.ok(seen.some((x) => /^Checking the head on \d+ held-out reviews/.test(x)), `held-out check shown: ${seen}`);
    const got = await rows(s);
    assert.deepEqual(got.map((r) => r.label), ["positive", "negative"]);
    for (const r of got) assert.ok(r.score > 0.5 && r.score <= 1, `probability ${r.score}`);
    const { correct, total } = await heldOut();
    console.log(`page: held-out accuracy ${correct} of ${total}`);
    assert.equal(total, SENTIMENT_HELD_OUT);
    assert.ok(correct / total >= SENTIMENT_FLOOR, `held-out accuracy ${correct} of ${total} < ${SENTIMENT_FLOOR}`);
    assert.match(await page.textContent("#sent-about"), new RegExp(`Trained here on ${SENTIMENT_TRAIN} labelled reviews. Held-out accuracy: ${correct} of ${total} reviews right`));
    await s.screenshot({ path: join(ARTIFACTS, "sentiment.png") });
  });

  await t.test("sentiment: the user's lines join the training set (retrained, accuracy stated again); a long run can be cancelled", async () => {
    await openTab("sentiment");
    // Many lines, so that the run is still going when Cancel is clicked.
    const many = Array.from({ length: 300 }, (_, i) => `${i % 2 ? "positive: I really liked item" : "negative: I really hated item"} number ${i}`);
    await page.fill("#sent-examples", many.join("\n"));
    await page.evaluate(() => delete document.getElementById("sentiment").dataset.state);
    await page.click("#sentiment button[type=submit]");
    await page.click("#sentiment .busy button");
    await page.waitForFunction(() => document.getElementById("sentiment").dataset.state === "cancelled", undefined, { timeout: 0 });
    assert.equal(await page.textContent("#sent-out [role=status]"), "Cancelled.");

    await page.fill("#sent-examples", "positive: the battery lasts for days\nnegative: support never answered");
    await page.fill("#sent-texts", "I love it, it works great\nit broke and the support was rude");
    await watchBusy("sentiment");
    const s = await submit("sentiment");
    const seen = await page.evaluate(() => window.busySeen);
    assert.ok(seen.some((x) => /^Training the head/.test(x)), `retrained: ${seen.slice(0, 5)}`);
    assert.deepEqual((await rows(s)).map((r) => r.label), ["positive", "negative"]);
    const { correct, total } = await heldOut();
    assert.ok(correct / total >= SENTIMENT_FLOOR, `held-out accuracy ${correct} of ${total}`);
    assert.match(await page.textContent("#sent-about"), new RegExp(`Trained here on ${SENTIMENT_TRAIN + 2} labelled reviews \\(2 of them yours\\)`));

    // Same model and lines: the head is kept, not trained again.
    await watchBusy("sentiment");
    await submit("sentiment");
    assert.ok(!(await page.evaluate(() => window.busySeen)).some((x) => /^Training/.test(x)), "trained again for unchanged lines");
  });

  await t.test("entity embeddings: each mention's nearest other entity is the one of its sense", async () => {
    const s = await submit("entities");
    const table = await s.locator("tbody tr").evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.dataset.mention, { nearest: JSON.parse(tr.dataset.nearest), same: JSON.parse(tr.dataset.same) }])),
    );
    // Apple the company and apple the fruit: one name, two senses.
    assert.equal(table["Apple (1)"].nearest[0], "Microsoft (2)");
    assert.equal(table["apple (3)"].nearest[0], "pear (4)");
    assert.equal(table["Microsoft (2)"].nearest[0], "Apple (1)");
    assert.equal(table["pear (4)"].nearest[0], "apple (3)");
    assert.equal(table["Rome (5)"].nearest[0], "Paris (6)");
    // The same name in two contexts gets two vectors.
    const [[other, score]] = table["Apple (1)"].same;
    assert.equal(other, "apple (3)");
    assert.ok(score < 0.99, `Apple vs apple in context: cosine ${score}`);
    await s.screenshot({ path: join(ARTIFACTS, "entities.png") });
  });

  await t.test("prompts: no selector for a model without prompts", async () => {
    for (const id of ["sim-prompt", "search-query-prompt", "search-doc-prompt"]) {
      assert.equal(await page.locator(`#${id}`).isVisible(), false, `${id} hidden`);
    }
  });

  await t.test("Chinese examples: hidden and flagged for all-MiniLM-L6-v2, whose vocabulary turns Chinese into [UNK]", async () => {
    await page.waitForSelector("body[data-chinese]", { timeout: 0 });
    assert.equal(await page.getAttribute("body", "data-chinese"), "false");
    for (const section of ["similarity", "search"]) {
      await openTab(section);
      const box = page.locator(`#${section} .zh-examples`);
      assert.equal(await box.locator(".examples").isVisible(), false, `${section}: examples hidden`);
      assert.match(await box.locator(".flag").textContent(), /does not read Chinese \(我想退款 → .*\[UNK\]/);
    }
    await page.locator("#search form.task").screenshot({ path: join(ARTIFACTS, "search-chinese-flagged.png") });
    assert.equal(await page.locator("input[name=corpus][value=faq-zh]").isVisible(), false, "Chinese FAQ not offered");
  });

  const fixture = JSON.parse(await readFile(join(FAMILIES, "cased.json"), "utf8"));
  const want = (text, prompt) => Float32Array.from(fixture.cases.find((c) => c.text === text && c.prompt === prompt).embedding);

  await t.test("prompts: a model with prompts offers them, and the scores are sentence-transformers' with the prompt", async () => {
    await loadModel("cased");
    const [a, b] = ["hello world", "Where is my parcel? It should have arrived on Monday."];
    await openTab("similarity");
    assert.ok(await page.locator("#sim-prompt").isVisible());
    const names = await page.locator("#sim-prompt option").evaluateAll((os) => os.map((o) => o.value));
    assert.equal(names[0], "", "first choice: no prompt");
    assert.deepEqual(names.slice(1).sort(), Object.keys(fixture.prompts).sort());
    await page.fill("#sim-a", a);
    await page.fill("#sim-b", b);
    for (const prompt of ["", "query"]) {
      await page.selectOption("#sim-prompt", prompt);
      await submit("similarity");
      const got = Number(await page.getAttribute("#sim-out", "data-score"));
      const ref = cosine(want(a, prompt), want(b, prompt));
      assert.ok(Math.abs(got - ref) <= TOL, `prompt ${JSON.stringify(prompt)}: page ${got}, sentence-transformers ${ref}`);
    }

    await openTab("search");
    assert.equal(await page.inputValue("#search-query-prompt"), "query", "the query box defaults to the query prompt");
    assert.equal(await page.inputValue("#search-doc-prompt"), "passage");
    const docs = [b, "The quick brown fox jumps over the lazy dog."];
    await page.check("input[name=corpus][value=own]");
    await page.fill("#search-corpus", docs.join("\n"));
    await page.fill("#search-q", a);
    const s = await submit("search");
    const hits = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ index: Number(tr.dataset.index), score: Number(tr.dataset.score) })));
    assert.equal(hits.length, docs.length);
    await s.screenshot({ path: join(ARTIFACTS, "search-prompts.png") });
    for (const h of hits) {
      const ref = cosine(want(a, "query"), want(docs[h.index], "passage"));
      assert.ok(Math.abs(h.score - ref) <= TOL, `${docs[h.index]}: page ${h.score}, sentence-transformers ${ref}`);
    }
  });

  const zh = JSON.parse(await readFile(join(FAMILIES, "chinese.json"), "utf8"));
  const zhWant = (text, prompt) => Float32Array.from(zh.cases.find((c) => c.text === text && c.prompt === prompt).embedding);
  const zhKnown = (text, prompt) => zh.cases.some((c) => c.text === text && c.prompt === prompt);

  await t.test("Chinese examples: offered for a Chinese-vocabulary model; the scores are sentence-transformers'", async () => {
    await loadModel("chinese");
    await page.waitForSelector("body[data-chinese]", { timeout: 0 });
    assert.equal(await page.getAttribute("body", "data-chinese"), "true");

    await openTab("similarity");
    assert.equal(await page.locator("#sim-zh .flag").isVisible(), false);
    const pairs = page.locator("#sim-zh .examples button");
    assert.equal(await pairs.count(), 3);
    await page.selectOption("#sim-prompt", "");
    for (let i = 0; i < 3; i++) {
      await pairs.nth(i).click();
      const [a, b] = [await page.inputValue("#sim-a"), await page.inputValue("#sim-b")];
      await submit("similarity");
      const got = Number(await page.getAttribute("#sim-out", "data-score"));
      const ref = cosine(zhWant(a, ""), zhWant(b, ""));
      assert.ok(Math.abs(got - ref) <= TOL, `${a} / ${b}: page ${got}, sentence-transformers ${ref}`);
    }
    await page.locator("#similarity").screenshot({ path: join(ARTIFACTS, "similarity-chinese.png") });

    // Search: the query with the model's query prompt, the texts without.
    await openTab("search");
    assert.equal(await page.inputValue("#search-query-prompt"), "query");
    assert.equal(await page.inputValue("#search-doc-prompt"), "");
    await page.locator("#search-zh .examples button", { hasText: "texts" }).click();
    await page.fill("#search-k", "10");
    const query = await page.inputValue("#search-q");
    const docs = (await page.inputValue("#search-corpus")).split("\n");
    let s = await submit("search");
    const hits = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ index: Number(tr.dataset.index), score: Number(tr.dataset.score) })));
    assert.equal(hits.length, docs.length);
    for (const h of hits) {
      const ref = cosine(zhWant(query, "query"), zhWant(docs[h.index], ""));
      assert.ok(Math.abs(h.score - ref) <= TOL, `${docs[h.index]}: page ${h.score}, sentence-transformers ${ref}`);
    }

    // The Chinese FAQ: every question in the reference fixture is checked.
    await page.locator("#search-zh .examples button", { hasText: "FAQ: 我想退款" }).click();
    assert.ok(await page.isChecked("input[name=corpus][value=faq-zh]"));
    s = await submit("search");
    const faq = await s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ question: tr.querySelector("strong").textContent, score: Number(tr.dataset.score) })));
    assert.ok(faq.length >= 10, `${faq.length} FAQ hits`);
    const checked = faq.filter((h) => zhKnown(h.question, ""));
    assert.ok(checked.length >= 3, `FAQ questions in the fixture: ${checked.map((h) => h.question)}`);
    for (const h of checked) {
      const ref = cosine(zhWant("我想退款", "query"), zhWant(h.question, ""));
      assert.ok(Math.abs(h.score - ref) <= TOL, `${h.question}: page ${h.score}, sentence-transformers ${ref}`);
    }
    await s.screenshot({ path: join(ARTIFACTS, "search-chinese.png") });
  });

  const xlnet = JSON.parse(await readFile(join(XLNET, "tiny_reference.json"), "utf8"));
  const xlnetMean = (text) => Float32Array.from(xlnet.cases.find((c) => c.text === text && c.pair == null).mean);

  await t.test("XLNet: the converted tiny XLNet loads from the picker; Similarity scores are transformers'", async () => {
    await loadModel("xlnet");
    await openTab("similarity");
    for (const [a, b] of [["我想退款", "请把钱退给我"], ["I want a refund.", "Please give me my money back!"]]) {
      await page.fill("#sim-a", a);
      await page.fill("#sim-b", b);
      await submit("similarity");
      const got = Number(await page.getAttribute("#sim-out", "data-score"));
      const ref = cosine(xlnetMean(a), xlnetMean(b));
      assert.ok(Math.abs(got - ref) <= TOL, `${a} / ${b}: page ${got}, transformers ${ref}`);
    }
    await page.locator("#similarity").screenshot({ path: join(ARTIFACTS, "similarity-xlnet.png") });
  });

  await t.test("layout: the new tabs stay under 3,200 px", async () => {
    for (const id of ["sentiment", "entities"]) {
      await openTab(id);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height <= 3200, `${id}: page ${height} px tall`);
    }
  });

  assert.deepEqual(consoleErrors, [], "no console errors");
});
