// The engine choice in Chromium: a WordPiece model streams in over fetch()
// and gets wasmbert.wasm, never wasmbert-families.wasm; a RoBERTa (BPE)
// model gets the families engine without being told, in a worker, and
// embeds as Node does.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { CHROMIUM, ENGINE_DIR, ROOT, launchChromium, libraryRoutes, loadModel, maxAbsDiff, nativeCLI, requireFile, serve } from "./helpers.js";

const TEXTS = ["The quick brown fox.", "漢字 and émojis 🤖", ""];

let server;
let context;
let dir;
const models = {};

before(async () => {
  await requireFile(new URL(`file://${CHROMIUM}`), "apt-get install -y chromium");
  for (const f of ["wasmbert.wasm", "wasmbert-families.wasm"]) await requireFile(new URL(f, ENGINE_DIR), "./build.sh wasm");
  dir = await mkdtemp(join(tmpdir(), "wasmbert-engine-choice-browser-"));
  const cli = await nativeCLI();
  const routes = {
    "/": { file: new URL("browser/page.html", import.meta.url), type: "text/html" },
    "/test/page.js": { file: new URL("browser/page.js", import.meta.url), type: "text/javascript" },
    "/dist/engine/wasm_exec.js": { file: new URL("wasm_exec.js", ENGINE_DIR), type: "text/javascript" },
    "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" },
  };
  for (const f of ["wasmbert.wasm", "wasmbert-families.wasm"]) routes[`/dist/engine/${f}`] = { file: new URL(f, ENGINE_DIR), type: "application/wasm" };
  Object.assign(routes, await libraryRoutes());
  for (const name of ["tiny", "tiny_roberta"]) {
    models[name] = join(dir, `${name}.wbm`);
    await promisify(execFile)(cli, ["convert", "--in", new URL(`model/bert/testdata/${name}`, ROOT).pathname, "--out", models[name], "--dtype", "f32"]);
    routes[`/models/${name}.wbm`] = { file: pathToFileURL(models[name]) };
  }
  server = await serve(routes);
  context = await launchChromium(join(dir, "profile"));
});

after(async () => {
  await context?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const engineRequests = () => server.requests.filter((p) => p.endsWith(".wasm"));

test("chromium: each model fetches the engine its tokenizer needs, and embeds as Node", async () => {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url("/"));
  await page.waitForFunction(() => window.ready === true);
  for (const [name, tokenizer, engine] of [
    ["tiny", "wordpiece", "/dist/engine/wasmbert.wasm"],
    ["tiny_roberta", "bpe", "/dist/engine/wasmbert-families.wasm"],
  ]) {
    server.requests.length = 0;
    const got = await page.evaluate((a) => window.run(a), { model: `/models/${name}.wbm`, workers: 1, texts: TEXTS });
    assert.deepEqual(engineRequests(), [engine], name);
    assert.equal(got.info.tokenizer, tokenizer);
    const node = await loadModel({ model: pathToFileURL(models[name]), workers: 0, engine: "families" });
    try {
      const want = await node.embed(TEXTS);
      want.forEach((v, i) => assert.ok(maxAbsDiff(got.vectors[i], v) <= 1e-6, `${name}: ${JSON.stringify(TEXTS[i])}`));
    } finally {
      node.dispose();
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});
