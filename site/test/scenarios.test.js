// The site's scenario tabs in Chromium: sentiment (the head shipped by the
// build, and one trained in the page on the user's lines, with progress
// and cancel), entity embeddings (nearest mentions across sentences), and
// the prompt selectors of a model that has prompts (hidden for one that
// has none). The site is built into its own folder, with the tiny cased
// test checkpoint (e5-style "query: "/"passage: " prompts) converted and
// added to the model picker; its scores are checked against the
// sentence-transformers vectors of model/engine/testdata/families/cased.json.
//
// Every wait is on a page signal with no timeout of its own (HANG_GUARD
// only bounds a hang); inputs are small.
//
//   node --test site/test/scenarios.test.js
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS, HANG_GUARD } from "../../js/test/helpers.js";
import { cosine } from "../../js/vectors.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Not dist/site: site.test.js rebuilds that one while this file runs.
const SITE = join(ROOT, "dist/site-scenarios");
const ARTIFACTS = fileURLToPath(new URL("artifacts/", import.meta.url));
const CASED = join(ROOT, "model/engine/testdata/families/cased");
// Chromium runs the engine as WebAssembly: float32 rounding of another summation order.
const TOL = 1e-4;
const run = promisify(execFile);
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
  await Promise.all([
    run(process.execPath, [join(ROOT, "site/build.mjs"), "--out", SITE], { cwd: ROOT }),
    run("go", ["build", "-o", cli, "./cmd/wasmbert"], { cwd: ROOT, env }),
  ]);
  await addModel(cli, { id: "cased", label: "tiny cased (test)", file: "cased.wbm", checkpoint: CASED });
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

/** Converts a checkpoint into the built site and lists it in models.json, as build.mjs lists its models. */
async function addModel(cli, m) {
  const out = join(SITE, "models", m.file);
  await run(cli, ["convert", "--in", m.checkpoint, "--out", out, "--dtype", "f32"]);
  const bytes = await readFile(out);
  const list = JSON.parse(await readFile(join(SITE, "models.json"), "utf8"));
  list.models.push({
    id: m.id,
    label: m.label,
    fidelity: "",
    url: `models/${m.file}`,
    bytes: bytes.length,
    integrity: "sha256-" + createHash("sha256").update(bytes).digest("base64"),
  });
  await writeFile(join(SITE, "models.json"), JSON.stringify(list, null, 2) + "\n");
}

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

/** [{label, score}] of the section's result table. */
const rows = (s) => s.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => ({ label: tr.dataset.label, score: Number(tr.dataset.score) })));

test("scenarios: sentiment, entity embeddings and prompts", { timeout: HANG_GUARD }, async (t) => {
  await loadModel("int8");

  await t.test("sentiment: the shipped head labels clear cases, with a probability, and states its held-out accuracy", async () => {
    const texts = ["This is the best purchase I have made all year, I love it.", "Awful. It stopped working after two days and nobody answered my emails."];
    await openTab("sentiment");
    await page.fill("#sent-texts", texts.join("\n"));
    const s = await submit("sentiment");
    const got = await rows(s);
    assert.deepEqual(got.map((r) => r.label), ["positive", "negative"]);
    for (const r of got) assert.ok(r.score > 0.5 && r.score <= 1, `probability ${r.score}`);
    assert.match(await page.textContent("#sent-about"), /accuracy on \d+ held-out sentences: \d+\.\d %/);
    await s.screenshot({ path: join(ARTIFACTS, "sentiment.png") });
  });

  await t.test("sentiment: a head trained in the page on the user's lines, with progress; a long run can be cancelled", async () => {
    await openTab("sentiment");
    await page.check("input[name=sent-head][value=own]");
    // Many lines, so that the run is still going when Cancel is clicked.
    const many = Array.from({ length: 300 }, (_, i) => `${i % 2 ? "positive: I really liked item" : "negative: I really hated item"} number ${i}`);
    const typed = await page.inputValue("#sent-examples");
    await page.fill("#sent-examples", many.join("\n"));
    await page.evaluate(() => delete document.getElementById("sentiment").dataset.state);
    await page.click("#sentiment button[type=submit]");
    await page.click("#sentiment .busy button");
    await page.waitForFunction(() => document.getElementById("sentiment").dataset.state === "cancelled", undefined, { timeout: 0 });
    assert.equal(await page.textContent("#sent-out [role=status]"), "Cancelled.");

    await page.fill("#sent-examples", typed);
    await page.evaluate(() => {
      window.busySeen = [];
      const section = document.getElementById("sentiment");
      new MutationObserver(() => {
        const busy = section.querySelector(".busy span");
        if (busy) window.busySeen.push(busy.textContent);
      }).observe(section, { subtree: true, childList: true, characterData: true });
    });
    await page.fill("#sent-texts", "I love it, it works great\nit broke and the support was rude");
    const s = await submit("sentiment");
    const seen = await page.evaluate(() => window.busySeen);
    assert.ok(seen.some((x) => /^Training the head: epoch \d+ of \d+$/.test(x)), `training progress shown: ${seen.slice(0, 5)}`);
    assert.deepEqual((await rows(s)).map((r) => r.label), ["positive", "negative"]);
    await page.check("input[name=sent-head][value=shipped]");
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

  const fixture = JSON.parse(await readFile(join(ROOT, "model/engine/testdata/families/cased.json"), "utf8"));
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

  await t.test("layout: the new tabs stay under 3,200 px", async () => {
    for (const id of ["sentiment", "entities"]) {
      await openTab(id);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height <= 3200, `${id}: page ${height} px tall`);
    }
  });

  assert.deepEqual(consoleErrors, [], "no console errors");
});
