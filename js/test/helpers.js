// Shared fixtures of the JS tests: where the engine and models are, a local
// HTTP server with failure modes, and the native CLI as the reference.
import http from "node:http";
import { access, readFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { pathToFileURL } from "node:url";
import { load } from "../index.js";

export const ROOT = new URL("../../", import.meta.url);
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

/** Embeddings from the native CLI for texts, as Float32Array[]. */
export async function cliEmbed(model, texts, args = []) {
  const { stdout } = await promisify(execFile)(
    "go",
    ["run", "./cmd/wasmbert", "embed", "-m", model.pathname, "--format", "json", ...args, ...texts],
    { cwd: ROOT.pathname, env: { ...process.env, GOTOOLCHAIN: "go1.27.3" }, maxBuffer: 64 << 20 },
  );
  return parseCLIEmbeddings(stdout);
}

function parseCLIEmbeddings(stdout) {
  const v = JSON.parse(stdout);
  const rows = Array.isArray(v) ? v : v.embeddings;
  return rows.map((r) => Float32Array.from(Array.isArray(r) ? r : r.embedding ?? r.vector));
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
