// What `npm pack` publishes, and that it works where it is installed: the
// library, its types, README and LICENSE, the engine built by `prepack`, and
// nothing else (no tests, benchmarks, Go sources or models). The tarball is
// installed into a scratch project (offline: the package has no
// dependencies), embeds there with a local model file in Node, and a strict
// TypeScript consumer of it compiles.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { MODEL_INT8, ROOT, loadModel, requireFile } from "./helpers.js";

const run = promisify(execFile);
let scratch, packed;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "wasmbert-pack-"));
  // Not --ignore-scripts: prepack builds the engine (a no-op when it is up to date).
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", scratch], {
    cwd: ROOT.pathname,
    maxBuffer: 1 << 24,
  });
  packed = JSON.parse(stdout)[0];
});

after(() => rm(scratch, { recursive: true, force: true }));

test("npm pack contains exactly the library, its types, README, LICENSE and the engine", async () => {
  const files = packed.files.map((f) => f.path).sort();
  const lib = (await readdir(new URL("js/", ROOT))).filter((f) => f.endsWith(".js")).map((f) => `js/${f}`);
  const engine = ["wasmbert.wasm", "wasmbert-families.wasm", "wasmbert-heads.wasm", "wasmbert-parallel.wasm", "wasm_exec.js"].map((f) => `dist/engine/${f}`);
  const want = [...lib, ...engine, "js/index.d.ts", "js/README.md", "README.md", "LICENSE", "package.json"].sort();
  assert.deepEqual(files, want);
  for (const f of files) assert.doesNotMatch(f, /test|bench|\.go$|\.wbm$/, f);
});

test("the installed tarball embeds in Node like the repository's library, and type-checks under tsc --strict", async () => {
  await requireFile(MODEL_INT8, "./build.sh models");
  const app = join(scratch, "app");
  await run("mkdir", ["-p", app]);
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", join(scratch, packed.filename)], { cwd: app });

  // The engine comes from the installed package (no engineURL), the model from a local file.
  await writeFile(
    join(app, "embed.mjs"),
    `import { load } from "wasmbert";
const bert = await load({ model: new URL(process.argv[2]), workers: 0 });
const v = await bert.embed("hello world");
console.log(JSON.stringify({ vector: Array.from(v), similarity: await bert.similarity("a cat", "a kitten") }));
bert.dispose();
`,
  );
  const { stdout } = await run(process.execPath, ["embed.mjs", MODEL_INT8.href], { cwd: app });
  const got = JSON.parse(stdout);
  const bert = await loadModel({ model: MODEL_INT8, workers: 0 });
  try {
    assert.deepEqual(got.vector, Array.from(await bert.embed("hello world")));
    assert.equal(got.similarity, await bert.similarity("a cat", "a kitten"));
  } finally {
    bert.dispose();
  }

  await writeFile(
    join(app, "consumer.ts"),
    `import { load, type Wasmbert } from "wasmbert";
export async function nearest(query: string, docs: string[]): Promise<string | undefined> {
  const bert: Wasmbert = await load({ model: "/models/all-MiniLM-L6-v2.int8.wbm" });
  const [hit] = await bert.search(query, docs, 1);
  const v: Float32Array = await bert.embed(query);
  void v;
  bert.dispose();
  return hit?.text;
}
`,
  );
  await writeFile(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022", "dom"], strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ["consumer.ts"],
    }),
  );
  const tsc = new URL("node_modules/.bin/tsc", ROOT).pathname;
  try {
    await run(tsc, ["-p", app]);
  } catch (err) {
    assert.fail(`tsc --strict on a consumer of the installed package failed:\n${err.stdout}${err.stderr}`);
  }
});
