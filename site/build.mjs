// Builds the static demo site into one folder that any static server can
// serve: the pages (site/), the library (js/*.js), the engine
// (dist/engine/), the models (dist/models/) and the demo data (the FAQ
// and intents sets the Go packages test with).
//
//   node site/build.mjs [--out dist/site] [--models dist/models]
//
// It also writes models.json (size, sha256 and measured fidelity of each
// model file, so the page can show download sizes and verify what it
// loaded), ships the demo NER tagger (trained once with `wasmbert ner` on
// model/heads' NER set plus site/data/ner-everyday.txt, and kept in
// dist/heads/ until its inputs change), and stamps the service worker with
// a hash of the app shell, so a new build gets a new offline cache and the
// old one is dropped.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SITE = join(ROOT, "site");

// The model picker lists every model file in the models folder (default
// dist/models/, `--models DIR`): the default model's three files first,
// with the fidelity the README's accuracy table reports for them (cosine to
// sentence-transformers over the 235 reference sentences), then any other
// converted model (`wasmbert convert --out dist/models/NAME.wbm`) under its
// file name.
const KNOWN_MODELS = [
  { id: "int8", label: "int8", file: "all-MiniLM-L6-v2.int8.wbm", fidelity: "weights quantized per row; cosine to the original: mean 0.9994, worst 0.996" },
  { id: "int4", label: "int4", file: "all-MiniLM-L6-v2.int4.wbm", fidelity: "smallest; cosine to the original: mean 0.983, worst 0.93" },
  { id: "f32", label: "f32", file: "all-MiniLM-L6-v2.f32.wbm", fidelity: "full precision, the reference" },
];

// The demo tagger: trained on this model's word vectors (it works with the
// others too: their vectors differ by the fidelity above).
const TAGGER = {
  model: "all-MiniLM-L6-v2.int8.wbm",
  data: ["model/heads/testdata/ner.jsonl", "site/data/ner-everyday.txt"],
  out: "data/ner-tagger.json",
};

// Demo data: source in the repository -> name in the site.
const DATA = [
  ["model/faq/testdata/faq.tsv", "data/faq.tsv"],
  ["model/heads/testdata/intents.tsv", "data/intents.tsv"],
  ["site/data/products.tsv", "data/products.tsv"],
  ["site/data/sentiment.tsv", "data/sentiment.tsv"],
  ["site/data/faq-zh.tsv", "data/faq-zh.tsv"],
];

const PAGES = ["index.html", "app.css", "favicon.svg"];

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string", default: "dist/site" }, models: { type: "string", default: "dist/models" } } });
  const out = resolve(ROOT, values.out);
  const modelDir = resolve(ROOT, values.models);
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
  for (const f of ["wasmbert.wasm", "wasmbert-families.wasm", "wasmbert-heads.wasm", "wasmbert-parallel.wasm", "wasm_exec.js"]) {
    await put(await need(join(ROOT, "dist/engine", f), "./build.sh wasm"), `engine/${f}`);
  }
  for (const [src, dst] of DATA) await put(join(ROOT, src), dst);
  await put(await demoTagger(), TAGGER.out);

  const models = [];
  await mkdir(join(out, "models"), { recursive: true });
  for (const m of await modelList(modelDir)) {
    const src = join(modelDir, m.file);
    await linkOrCopy(src, join(out, "models", m.file));
    const st = await stat(src);
    models.push({ id: m.id, label: m.label, fidelity: m.fidelity, url: `models/${m.file}`, bytes: st.size, integrity: await sha256(src) });
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

/** The picker's entries for the model files in dir: the known ones in their order, then the others by name. */
export async function modelList(dir) {
  const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith(".wbm")).sort();
  if (!files.length) throw new Error(`${relative(ROOT, dir) || dir} has no model files: run ./build.sh models`);
  const known = KNOWN_MODELS.filter((m) => files.includes(m.file));
  const others = files
    .filter((f) => !KNOWN_MODELS.some((m) => m.file === f))
    .map((f) => {
      const name = f.slice(0, -".wbm".length);
      return { id: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"), label: name, file: f, fidelity: "converted with wasmbert convert; fidelity not measured by the site build" };
    });
  return [...known, ...others];
}

// The demo tagger's file, trained when its inputs (training data, model)
// changed since the last build; training takes tens of seconds, so the
// result is kept in dist/heads/ under a hash of the inputs.
async function demoTagger() {
  const model = await need(join(ROOT, "dist/models", TAGGER.model), "./build.sh models");
  const examples = [];
  for (const f of TAGGER.data) {
    const text = await readFile(join(ROOT, f), "utf8");
    examples.push(...(f.endsWith(".txt") ? markedSentences(text, f) : text.split("\n").filter((l) => l.trim())));
  }
  const key = createHash("sha256").update(examples.join("\n")).update(await sha256(model)).digest("hex").slice(0, 16);
  const head = join(ROOT, "dist/heads", `demo-tagger-${key}.json`);
  try {
    await stat(head);
    return head;
  } catch {
    // not trained yet for these inputs
  }
  await mkdir(dirname(head), { recursive: true });
  const train = join(dirname(head), `demo-tagger-${key}.train.jsonl`);
  await writeFile(train, examples.join("\n") + "\n");
  console.log(`site: training the demo NER tagger on ${examples.length} sentences (once per change of its data; about a minute)`);
  const env = { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "go1.27.3" };
  const args = ["run", "./cmd/wasmbert", "ner", "--train", train, "--save", head + ".tmp", "-m", model];
  // `wasmbert ner` tags stdin's lines after training: an empty stdin ends it.
  const run = promisify(execFile)("go", args, { cwd: ROOT, env });
  run.child.stdin.end();
  await run.catch((err) => {
    throw new Error(`train the demo tagger (go ${args.join(" ")}): ${err.stderr || err.message}`);
  });
  await rm(train);
  await rename(head + ".tmp", head);
  return head;
}

/**
 * Converts sentences written with entities marked [text](LABEL), one per
 * line ("#" lines are comments), to `wasmbert ner --train` JSONL lines
 * (offsets in code points).
 */
export function markedSentences(text, name = "input") {
  return text
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((line, n) => {
      let plain = "";
      const spans = [];
      let at = 0;
      for (const m of line.matchAll(/\[([^\]]+)\]\((PER|ORG|LOC|MISC)\)/g)) {
        plain += line.slice(at, m.index);
        const start = [...plain].length;
        plain += m[1];
        spans.push({ start, end: start + [...m[1]].length, label: m[2] });
        at = m.index + m[0].length;
      }
      plain += line.slice(at);
      if (/\[[^\]]*\]\(/.test(plain)) throw new Error(`${name}:${n + 1}: bad entity mark (want [text](PER|ORG|LOC|MISC))`);
      return JSON.stringify({ text: plain, spans });
    });
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`site build: ${err.message}`);
    process.exit(1);
  });
}
