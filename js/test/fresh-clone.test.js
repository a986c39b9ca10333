// The README's first command works on a fresh clone: `git clone` of this
// repository's HEAD (so commit first), no node_modules, no dist/, then
// `./build.sh demo` must install what it needs, build and serve the site.
// It reuses the npm cache and the model cache ($WASMBERT_CACHE, default the
// repository's .cache/wasmbert), so it needs no network once those are warm.
// It runs when WASMBERT_FRESH_CLONE=1 (`./build.sh test` and `test-clone`
// set it): it writes a second node_modules (~1 GB) and converts the models
// again: 85 s at load 4, 135 s at load 11 on 2 cores.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { ROOT } from "./helpers.js";

const enabled = process.env.WASMBERT_FRESH_CLONE === "1";

test(
  "a fresh clone serves the demo site with ./build.sh demo",
  { skip: !enabled && "set WASMBERT_FRESH_CLONE=1 (./build.sh test-clone) to clone, set up and build from scratch", timeout: 40 * 60_000 },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "wasmbert-clone-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await promisify(execFile)("git", ["clone", "--quiet", ROOT.pathname, dir]);
    const addr = `127.0.0.1:${await freePort()}`;
    const started = performance.now();
    const demo = spawn("./build.sh", ["demo"], {
      cwd: dir,
      detached: true, // its own process group: build steps and the server stop together
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ADDR: addr, WASMBERT_CACHE: process.env.WASMBERT_CACHE ?? join(ROOT.pathname, ".cache/wasmbert") },
    });
    let log = "";
    for (const s of [demo.stdout, demo.stderr]) s.on("data", (b) => (log += b));
    const exited = once(demo, "exit");
    t.after(async () => {
      if (demo.exitCode === null) {
        process.kill(-demo.pid, "SIGINT");
        await exited;
      }
    });

    // Wait on the server itself, not on a clock: poll until the page answers
    // or build.sh exits.
    let page;
    while (!page) {
      if (demo.exitCode !== null) assert.fail(`./build.sh demo exited with ${demo.exitCode} before serving:\n${log.slice(-4000)}`);
      page = await fetch(`http://${addr}/`).then((r) => (r.ok ? r.text() : undefined), () => undefined);
      if (!page) await sleep(500);
    }
    t.diagnostic(`fresh clone to a served site: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    for (const line of log.match(/done in .*/g) ?? []) t.diagnostic(line);
    assert.match(page, /<html/i);
    const engine = await fetch(`http://${addr}/engine/wasmbert.wasm`);
    assert.equal(engine.status, 200);
    assert.equal(engine.headers.get("content-type"), "application/wasm");
    await engine.arrayBuffer();
    const models = await fetch(`http://${addr}/models.json`);
    assert.equal(models.status, 200, "models.json");
    await models.arrayBuffer();
    assert.match(log, /installing npm dependencies/, "build.sh installed the npm dependencies itself");
  },
);

async function freePort() {
  const srv = createServer().listen(0, "127.0.0.1");
  await once(srv, "listening");
  const { port } = srv.address();
  srv.close();
  await once(srv, "close");
  return port;
}
