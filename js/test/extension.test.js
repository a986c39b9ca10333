// The Manifest V3 extension example (examples/extension) in Chromium: packed
// with the engine, wasm_exec.js and the model from dist/, loaded unpacked
// with --load-extension, its page embeds text under the extension CSP
// (script-src 'self' 'wasm-unsafe-eval') in a worker, equal to Node's.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { loadModel, CHROMIUM, CHROMIUM_FLAGS, ENGINE_WASM, MODEL_INT8, maxAbsDiff, requireFile, HANG_GUARD } from "./helpers.js";
import { pack } from "../../examples/extension/pack.mjs";

const TEXTS = ["A man is eating food.", "Ünïcödé 🤖 漢字", "extensions keep their code inside the package"];

let tmp;
let context;

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
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
  context.setDefaultTimeout(0);
});

after(async () => {
  await context?.close();
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
