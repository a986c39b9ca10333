// Assembles the loadable extension in a directory: this example's files plus
// the library (js/*.js), every engine file the library may load
// (dist/engine/: wasmbert.wasm, wasmbert-families.wasm for BPE/Unigram models,
// wasmbert-parallel.wasm for parallel splits,
// wasmbert-heads.wasm for trainClassifier/classify and the other heads,
// wasm_exec.js), the sentiment reviews the classifier trains on, and a model
// file, so the extension never loads remote code.
//
//   node examples/extension/pack.mjs <out dir> [model.wbm]
//
// Build the engine and the model first: ./build.sh wasm && ./build.sh models.
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const HERE = new URL("./", import.meta.url);
const ROOT = new URL("../../", import.meta.url);
const EXAMPLE = ["manifest.json", "background.js", "content.js", "offscreen.html", "offscreen.js", "embed.html", "embed.js"];
const ENGINE = ["wasmbert.wasm", "wasmbert-families.wasm", "wasmbert-parallel.wasm", "wasmbert-heads.wasm", "wasm_exec.js"];
// The labelled reviews the site's Sentiment tab trains on (written for the project).
const REVIEWS = "site/data/sentiment.tsv";

/** Copies the extension into out; model is the .wbm file to package. */
export async function pack(out, model = fileURLToPath(new URL("dist/models/all-MiniLM-L6-v2.int8.wbm", ROOT))) {
  const lib = join(out, "wasmbert", "js");
  const engine = join(out, "wasmbert", "dist", "engine");
  await Promise.all([lib, engine, join(out, "models"), join(out, "data")].map((d) => mkdir(d, { recursive: true })));
  const copies = EXAMPLE.map((f) => [new URL(f, HERE), join(out, f)]);
  for (const f of await readdir(new URL("js/", ROOT))) {
    if (f.endsWith(".js")) copies.push([new URL(`js/${f}`, ROOT), join(lib, f)]);
  }
  for (const f of ENGINE) copies.push([new URL(`dist/engine/${f}`, ROOT), join(engine, f)]);
  copies.push([model, join(out, "models", "model.wbm")]);
  copies.push([new URL(REVIEWS, ROOT), join(out, "data", "sentiment.tsv")]);
  await Promise.all(
    copies.map(([from, to]) =>
      copyFile(from, to).catch((err) => {
        throw new Error(`pack extension: copy ${from}: ${err.message} (run ./build.sh wasm and ./build.sh models)`, { cause: err });
      }),
    ),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, model] = process.argv.slice(2);
  if (!out) {
    console.error("usage: node examples/extension/pack.mjs <out dir> [model.wbm]");
    process.exit(2);
  }
  await pack(out, model);
  console.log(`extension in ${out}: load it unpacked (chrome://extensions, Developer mode)`);
}
