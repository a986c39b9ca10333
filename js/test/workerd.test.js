// The library in workerd (Cloudflare's runtime, node_modules/.bin/workerd): no
// workers, no runtime compilation of WebAssembly, no dynamic import(). The
// test writes a worker that imports wasm_exec.js and the engine statically and
// calls load({workers: 0}); the model is fetched from a disk service that is
// the worker's global outbound, so it takes the same streaming fetch path as
// in a browser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { ENGINE_DIR, ENGINE_WASM, MODEL_INT8, ROOT, loadModel, requireFile, HANG_GUARD } from "./helpers.js";

const WORKERD = new URL("node_modules/.bin/workerd", ROOT);
const TEXTS = ["A man is eating food.", "The girl is carrying a baby.", "Ünïcödé 🤖 漢字", "", "word ".repeat(300)];

// The worker under test. The model loads on the first request: workerd
// allows no I/O while the module is evaluated.
const WORKER = `
import "./wasm_exec.js";
import engine from "./wasmbert.wasm";
import { load } from "./js/index.js";

let bert;
export default {
  async fetch(req) {
    try {
      bert ??= load({ model: "http://weights/${basename(MODEL_INT8.pathname)}", wasm: engine, workers: 0, cache: false });
      const b = await bert;
      const url = new URL(req.url);
      if (url.pathname === "/info") return Response.json(b.info());
      if (url.pathname === "/embed") {
        const { texts, options } = await req.json();
        const vectors = await b.embed(texts, options);
        return Response.json(vectors.map((v) => Array.from(v)));
      }
      if (url.pathname === "/bad") {
        const err = await b.embed([1]).then(() => null, (e) => e);
        return Response.json({ name: err?.name, message: err?.message });
      }
      return new Response("not found", { status: 404 });
    } catch (err) {
      return new Response(String(err?.stack ?? err), { status: 500 });
    }
  },
};
`;

let dir;
let proc;
let base;
let logs = "";

async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

before(async () => {
  await requireFile(WORKERD, "npm ci");
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  dir = await mkdtemp(join(tmpdir(), "wasmbert-workerd-"));
  const libFiles = (await readdir(new URL("js/", ROOT))).filter((f) => f.endsWith(".js") && f !== "worker.js");
  await mkdir(join(dir, "js"));
  for (const f of libFiles) await copyFile(new URL(`js/${f}`, ROOT), join(dir, "js", f));
  await copyFile(ENGINE_WASM, join(dir, "wasmbert.wasm"));
  await copyFile(new URL("wasm_exec.js", ENGINE_DIR), join(dir, "wasm_exec.js"));
  await writeFile(join(dir, "worker.mjs"), WORKER);
  const modules = [
    `(name = "worker.mjs", esModule = embed "worker.mjs")`,
    `(name = "wasm_exec.js", esModule = embed "wasm_exec.js")`,
    `(name = "wasmbert.wasm", wasm = embed "wasmbert.wasm")`,
    ...libFiles.map((f) => `(name = "js/${f}", esModule = embed "js/${f}")`),
  ];
  await writeFile(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .lib),
    (name = "weights", disk = (path = "${dirname(MODEL_INT8.pathname)}", writable = false)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const lib :Workerd.Worker = (
  modules = [${modules.join(",\n    ")}],
  globalOutbound = "weights",
  compatibilityDate = "2025-09-01",
);
`,
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  proc = spawn(WORKERD.pathname, ["serve", join(dir, "config.capnp"), `--socket-addr=http=127.0.0.1:${port}`, "--verbose"], {
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: .bin/workerd is a Node wrapper around the real binary.
    detached: true,
  });
  proc.stdout.on("data", (d) => (logs += d));
  proc.stderr.on("data", (d) => (logs += d));
  const exited = new Promise((ok) => proc.once("exit", (code) => ok(code)));
  // Polls until workerd listens or exits, however long a loaded machine
  // takes to start it; the hook's hang guard catches neither happening.
  for (;;) {
    const up = await fetch(`${base}/nothing`).then(
      (r) => r.status === 404 || r.status === 500,
      () => false,
    );
    if (up) break;
    const code = await Promise.race([exited, new Promise((ok) => setTimeout(() => ok(undefined), 100))]);
    if (code !== undefined) throw new Error(`workerd exited with ${code}:\n${logs}`);
  }
}, { timeout: HANG_GUARD });

after(async () => {
  if (proc && proc.exitCode === null) {
    const gone = new Promise((ok) => proc.once("exit", ok));
    process.kill(-proc.pid, "SIGTERM");
    await gone;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

// A fresh connection per request: workerd may close an idle keep-alive
// connection just as the client reuses it.
function call(path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(base + path, { method: body ? "POST" : "GET", agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode} ${text}\nworkerd log:\n${logs}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on("error", (err) => reject(new Error(`${path}: ${err.message}\nworkerd log:\n${logs}`, { cause: err })));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

test("workerd: load with workers 0 and a precompiled engine, vectors equal Node's", async (t) => {
  const node = await loadModel({ model: MODEL_INT8, workers: 0, cache: false });
  try {
    const info = await call("/info");
    assert.equal(info.workers, 0);
    assert.equal(info.dim, node.info().dim);
    const cases = [
      { name: "defaults", options: {} },
      { name: "cls, layer 3, unnormalized", options: { pooling: "cls", layer: 3, normalize: false } },
    ];
    for (const c of cases) {
      await t.test(c.name, async () => {
        const got = await call("/embed", { texts: TEXTS, options: c.options });
        const want = await node.embed(TEXTS, c.options);
        assert.equal(got.length, TEXTS.length);
        // The same engine binary on the same V8: the numbers are identical.
        got.forEach((v, i) => assert.deepEqual(Float32Array.from(v), want[i], `text ${i}`));
      });
    }
    const bad = await call("/bad");
    assert.equal(bad.name, "TypeError");
    assert.match(bad.message, /texts\[0\]/);
  } finally {
    node.dispose();
  }
});
