// Builds the static demo site into one folder that any static server can
// serve: the pages (site/), the library (js/*.js), the engine
// (dist/engine/), the models (dist/models/) and the demo data (the FAQ,
// intents and NER sets the Go packages test with).
//
//   node site/build.mjs [--out dist/site]
//
// It also writes models.json (size and sha256 of each model file, so the
// page can show download sizes and verify what it loaded) and stamps the
// service worker with a hash of the app shell, so a new build gets a new
// offline cache and the old one is dropped.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, link, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SITE = join(ROOT, "site");

const MODELS = [
  { id: "int8", label: "int8 (weights quantized per row)", file: "all-MiniLM-L6-v2.int8.wbm" },
  { id: "f32", label: "f32 (full precision)", file: "all-MiniLM-L6-v2.f32.wbm" },
];

// Demo data: source in the repository -> name in the site.
const DATA = [
  ["model/faq/testdata/faq.tsv", "data/faq.tsv"],
  ["model/heads/testdata/intents.tsv", "data/intents.tsv"],
  ["model/heads/testdata/ner.jsonl", "data/ner.jsonl"],
];

const PAGES = ["index.html", "app.css", "favicon.svg"];

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string", default: "dist/site" } } });
  const out = resolve(ROOT, values.out);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  const shell = [];
  const put = async (src, dst) => {
    await mkdir(dirname(join(out, dst)), { recursive: true });
    await copyFile(src, join(out, dst));
    shell.push(dst);
  };
  for (const p of PAGES) await put(join(SITE, p), p);
  for (const f of await jsFiles(join(SITE, "app"))) await put(join(SITE, "app", f), `app/${f}`);
  for (const f of await jsFiles(join(ROOT, "js"))) await put(join(ROOT, "js", f), `lib/${f}`);
  for (const f of ["wasmbert.wasm", "wasmbert-heads.wasm", "wasmbert-parallel.wasm", "wasm_exec.js"]) {
    await put(await need(join(ROOT, "dist/engine", f), "./build.sh wasm"), `engine/${f}`);
  }
  for (const [src, dst] of DATA) await put(join(ROOT, src), dst);

  const models = [];
  for (const m of MODELS) {
    const src = await need(join(ROOT, "dist/models", m.file), "./build.sh models");
    await mkdir(join(out, "models"), { recursive: true });
    await linkOrCopy(src, join(out, "models", m.file));
    const st = await stat(src);
    models.push({ id: m.id, label: m.label, url: `models/${m.file}`, bytes: st.size, integrity: await sha256(src) });
  }
  await writeFile(join(out, "models.json"), JSON.stringify({ models }, null, 2) + "\n");
  shell.push("models.json");

  // The service worker's version is a hash of everything it precaches.
  const h = createHash("sha256");
  for (const f of shell.sort()) h.update(f).update(await readFile(join(out, f)));
  const version = h.digest("hex").slice(0, 16);
  const sw = await readFile(join(SITE, "sw.js"), "utf8");
  const stamp = `const BUILD = ${JSON.stringify({ version, shell: ["./", ...shell] })};`;
  if (!sw.includes("const BUILD = {")) throw new Error("site/sw.js: no `const BUILD = {...};` line to stamp");
  await writeFile(join(out, "sw.js"), sw.replace(/^const BUILD = \{.*\};$/m, stamp));
  console.log(`site: ${relative(process.cwd(), out) || "."} (shell ${shell.length} files, version ${version})`);
}

async function jsFiles(dir) {
  return (await readdir(dir)).filter((f) => f.endsWith(".js")).sort();
}

async function need(path, how) {
  try {
    await stat(path);
  } catch {
    throw new Error(`${relative(ROOT, path)} is missing: run ${how}`);
  }
  return path;
}

// Model files are large: a hard link costs nothing when out is on the same
// file system.
async function linkOrCopy(src, dst) {
  try {
    await link(src, dst);
  } catch {
    await copyFile(src, dst);
  }
}

function sha256(path) {
  return new Promise((ok, fail) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (d) => h.update(d))
      .on("end", () => ok("sha256-" + h.digest("base64")))
      .on("error", fail);
  });
}

main().catch((err) => {
  console.error(`site build: ${err.message}`);
  process.exit(1);
});
