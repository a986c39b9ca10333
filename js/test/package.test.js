// What `npm pack` publishes: the library, its types and README, the engine,
// and nothing else (no tests, benchmarks, Go sources or models).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { promisify } from "node:util";
import { ROOT } from "./helpers.js";

test("npm pack contains exactly the library, its types and README, and the engine", async () => {
  const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT.pathname });
  const files = JSON.parse(stdout)[0].files.map((f) => f.path).sort();
  const lib = (await readdir(new URL("js/", ROOT))).filter((f) => f.endsWith(".js")).map((f) => `js/${f}`);
  // The heads engine ships when it is built (js/heads.js loads it).
  const built = await readdir(new URL("dist/engine/", ROOT));
  const engine = ["wasmbert.wasm", "wasm_exec.js", "wasmbert-heads.wasm"].filter((f) => built.includes(f)).map((f) => `dist/engine/${f}`);
  const want = [...lib, ...engine, "js/index.d.ts", "js/README.md", "README.md", "package.json"].sort();
  assert.deepEqual(files, want);
  for (const f of files) assert.doesNotMatch(f, /test|bench|\.go$|\.wbm$/, f);
});
