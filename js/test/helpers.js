// Shared fixtures of the JS tests: where the engine and models are, a local
// HTTP server with failure modes, and the native CLI as the reference.
import http from "node:http";
import { rmSync } from "node:fs";
import { access, mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { load } from "../index.js";

export const ROOT = new URL("../../", import.meta.url);

/** Debian's Chromium: the browser tests never let a tool download its own. */
export const CHROMIUM = "/usr/bin/chromium";
/** Flags every browser test launches it with, besides its headless mode. */
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
/**
 * How long one test may hang before it fails. Not a speed requirement:
 * browser tests wait on the page's own signals with no timeout of their own
 * (context.setDefaultTimeout(0)), since a loaded 2-core machine can take
 * minutes where a fast one takes seconds; only a test that hangs outright
 * reaches this bound.
 */
export const HANG_GUARD = 30 * 60_000;

/** Routes (for serve) of the library's modules, js/*.js at /js/, as the test pages import them. */
export async function libraryRoutes() {
  const routes = {};
  for (const f of await readdir(new URL("js/", ROOT))) {
    if (f.endsWith(".js")) routes[`/js/${f}`] = { file: new URL(`js/${f}`, ROOT), type: "text/javascript" };
  }
  return routes;
}

/**
 * Chromium with a persistent profile in userDir (a fresh directory the
 * caller removes), headless, with CHROMIUM_FLAGS, waiting on pages with no
 * timeout of its own (see HANG_GUARD).
 */
export async function launchChromium(userDir) {
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", ...CHROMIUM_FLAGS],
  });
  context.setDefaultTimeout(0);
  return context;
}

/**
 * A new page of context at url, once the page sets window.ready; its console
 * errors and uncaught exceptions go to errors, prefixed with name.
 */
export async function openReadyPage(context, url, name, errors) {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && errors.push(`${name}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(`${name}: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.ready === true);
  return page;
}
// WASMBERT_ENGINE_DIR and WASMBERT_TEST_MODEL point the tests at another
// build of the engine or another model file.
export const ENGINE_DIR = process.env.WASMBERT_ENGINE_DIR
  ? pathToFileURL(process.env.WASMBERT_ENGINE_DIR.replace(/\/?$/, "/"))
  : new URL("dist/engine/", ROOT);
export const ENGINE_WASM = new URL("wasmbert.wasm", ENGINE_DIR);
export const MODEL_INT8 = process.env.WASMBERT_TEST_MODEL
  ? pathToFileURL(process.env.WASMBERT_TEST_MODEL)
  : new URL("dist/models/all-MiniLM-L6-v2.int8.wbm", ROOT);

/** load() with the engine the tests use. */
export function loadModel(options) {
  return load({ engineURL: ENGINE_DIR, ...options });
}

/** Fails with a message naming the command that produces path. */
export async function requireFile(url, how) {
  try {
    await access(url);
  } catch {
    throw new Error(`${url.pathname} is missing: run ${how}`);
  }
}

/**
 * Serves files over http://127.0.0.1:<port>. routes maps a path to
 * {file, status, truncate, delayMs}: status != 200 answers with that status,
 * truncate sends only that many bytes of the file while announcing its full
 * length, then drops the connection. Every request is recorded in requests.
 */
export async function serve(routes) {
  const requests = [];
  const cache = new Map();
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    requests.push(path);
    const r = routes[path];
    if (!r) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (r.status && r.status !== 200) {
      res.writeHead(r.status, { "content-type": "text/plain" }).end("failure on purpose");
      return;
    }
    let body = r.body;
    if (!body) {
      body = cache.get(r.file.href) ?? (await readFile(r.file));
      cache.set(r.file.href, body);
    }
    res.writeHead(200, {
      "content-type": r.type ?? "application/octet-stream",
      "content-length": String(body.length),
      ...(r.headers ?? {}),
    });
    if (r.truncate !== undefined) {
      res.write(body.subarray(0, r.truncate), () => res.destroy());
      return;
    }
    if (r.slowBytesPerTick) {
      for (let o = 0; o < body.length && !res.destroyed; o += r.slowBytesPerTick) {
        res.write(body.subarray(o, o + r.slowBytesPerTick));
        await new Promise((ok) => setTimeout(ok, 5));
      }
      res.end();
      return;
    }
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(ok);
      }),
  };
}

let cliBinary = null;

/**
 * The native CLI, built once per test process into a temporary directory so
 * the tests never compare against a stale dist/bin/wasmbert.
 */
export function nativeCLI() {
  cliBinary ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "wasmbert-cli-"));
    const bin = join(dir, "wasmbert");
    await promisify(execFile)("go", ["build", "-o", bin, "./cmd/wasmbert"], {
      cwd: ROOT.pathname,
      env: { ...process.env, GOTOOLCHAIN: "go1.27.3" },
    });
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    return bin;
  })();
  return cliBinary;
}

/**
 * Embeddings from the native CLI for texts, as Float32Array[], through its
 * line interface: `wasmbert embed -m MODEL [args] < lines` prints
 * {"embedding": [...]} per line. Texts must therefore be single lines.
 */
export async function cliEmbed(model, texts, args = []) {
  texts.forEach((t, i) => {
    if (/[\r\n]/.test(t)) throw new Error(`cliEmbed: texts[${i}] spans lines; the CLI reads one text per line`);
  });
  const bin = await nativeCLI();
  const child = spawn(bin, ["embed", "-m", model.pathname, ...args]);
  const done = new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wasmbert embed exited ${code}: ${stderr}`))));
  });
  child.stdin.end(texts.map((t) => t + "\n").join(""));
  const lines = (await done).split("\n").filter((l) => l !== "");
  if (lines.length !== texts.length) throw new Error(`wasmbert embed: ${lines.length} lines for ${texts.length} texts`);
  return lines.map((l) => Float32Array.from(JSON.parse(l).embedding));
}

export function maxAbsDiff(a, b) {
  assertSameLength(a, b);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function assertSameLength(a, b) {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
}
