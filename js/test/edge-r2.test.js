// The edge worker (cmd/edgeworker) reading its weights from an R2 bucket, the binding
// wrangler.jsonc deploys with. R2 is read through github.com/syumai/workers' r2 package;
// Miniflare (npm, Cloudflare's local simulator on workerd) provides the bucket. The Go
// e2e tests drive the same worker with a fetcher binding instead.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Miniflare } from "miniflare";
import { MODEL_INT8, ROOT, HANG_GUARD, loadModel, requireFile } from "./helpers.js";

const EDGE_DIR = new URL("dist/edgeworker/", ROOT);
const TEXTS = ["A man is eating food.", "Ünïcödé 🤖 漢字", "customer wants a refund"];

let file;
let bucket;
let mf;

function worker(vars) {
  return new Miniflare({
    modulesRoot: EDGE_DIR.pathname,
    modules: [
      { type: "ESModule", path: new URL("worker.mjs", EDGE_DIR).pathname },
      { type: "ESModule", path: new URL("wasm_exec.js", EDGE_DIR).pathname },
      { type: "CompiledWasm", path: new URL("app.wasm", EDGE_DIR).pathname },
    ],
    compatibilityDate: "2025-09-01",
    r2Buckets: ["WEIGHTS"],
    bindings: { MODEL_NAME: "all-MiniLM-L6-v2", MODEL_BUCKET: "WEIGHTS", ...vars },
  });
}

async function post(path, body) {
  const res = await mf.dispatchFetch(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  await requireFile(new URL("app.wasm", EDGE_DIR), "./build.sh edge");
  await requireFile(MODEL_INT8, "./build.sh models");
  file = await readFile(MODEL_INT8);
  const sha = createHash("sha256").update(file).digest("hex");
  // Two keys, as a file over R2's single-upload size would be split.
  const cut = Math.floor(file.length / 2);
  mf = worker({ MODEL_KEYS: "m.wbm.000,m.wbm.001", MODEL_SHA256: sha });
  bucket = await mf.getR2Bucket("WEIGHTS");
  // Own ArrayBuffers: Miniflare's proxy cannot pass a view at an offset into a larger buffer.
  await bucket.put("m.wbm.000", new Uint8Array(file.subarray(0, cut)).buffer);
  await bucket.put("m.wbm.001", new Uint8Array(file.subarray(cut)).buffer);
}, { timeout: HANG_GUARD });

after(async () => {
  await mf?.dispose();
});

test("embeddings from weights in R2 equal the library's", { timeout: HANG_GUARD }, async () => {
  const { status, body } = await post("/v1/embeddings", { input: TEXTS });
  assert.equal(status, 200, JSON.stringify(body));
  const bert = await loadModel({ model: MODEL_INT8, workers: 0, cache: false });
  try {
    const want = await bert.embed(TEXTS);
    assert.equal(body.data.length, TEXTS.length);
    for (const [i, d] of body.data.entries()) {
      let max = 0;
      for (let j = 0; j < want[i].length; j++) max = Math.max(max, Math.abs(d.embedding[j] - want[i][j]));
      assert.ok(max <= 1e-5, `text ${i}: max abs diff ${max}`);
    }
  } finally {
    await bert.dispose();
  }
});

test("a missing R2 object is a 503 that names the key", { timeout: HANG_GUARD }, async () => {
  const other = worker({ MODEL_KEYS: "absent.wbm", MODEL_SHA256: "0".repeat(64) });
  try {
    const res = await other.dispatchFetch("http://localhost/v1/embeddings", {
      method: "POST",
      body: JSON.stringify({ input: "hello" }),
    });
    const text = await res.text();
    assert.equal(res.status, 503, text);
    assert.match(text, /R2 WEIGHTS\/absent\.wbm: no such object/);
  } finally {
    await other.dispose();
  }
});
