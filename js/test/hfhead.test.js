// A fine-tuned HF BertForSequenceClassification checkpoint in the JS
// library: its encoder converted to a .wbm and its head saved by
// `wasmbert classify --head DIR --save`, classify() equals the CLI.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadModel, ENGINE_WASM, ROOT, nativeCLI, requireFile } from "./helpers.js";

const TEXTS = ["hello world", "the water is cold", "a b c d e f g"];
let dir;

before(async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  dir = await mkdtemp(join(tmpdir(), "wasmbert-hfhead-"));
});
after(() => dir && rm(dir, { recursive: true, force: true }));

// model/heads' tiny checkpoint (made by transformers) with the first 64
// entries of model/bert's tiny vocabulary as its tokenizer, as
// cmd/wasmbert/hfhead_test.go assembles it.
async function checkpoint() {
  const ck = join(dir, "checkpoint");
  await mkdir(ck);
  for (const f of ["config.json", "model.safetensors"]) await copyFile(new URL(`model/heads/testdata/hf_seqcls/${f}`, ROOT), join(ck, f));
  const vocab = (await readFile(new URL("model/bert/testdata/tiny/vocab.txt", ROOT), "utf8")).split("\n").slice(0, 64);
  await writeFile(join(ck, "vocab.txt"), vocab.join("\n") + "\n");
  await writeFile(join(ck, "tokenizer_config.json"), JSON.stringify({ do_lower_case: true, tokenizer_class: "BertTokenizer", model_max_length: 32 }));
  return ck;
}

test("a fine-tuned HF classifier: converted encoder + saved head classify in JS as the CLI does", async () => {
  const ck = await checkpoint();
  const bin = await nativeCLI();
  const env = { ...process.env, WASMBERT_CACHE: join(dir, "cache") };
  const model = join(dir, "model.wbm");
  const head = join(dir, "head.json");
  await promisify(execFile)(bin, ["convert", "--in", ck, "--out", model, "--dtype", "f32"], { env });
  const cli = promisify(execFile)(bin, ["classify", "--head", ck, "--save", head], { env });
  cli.child.stdin.end(TEXTS.join("\n") + "\n");
  const want = (await cli).stdout.trim().split("\n").map((l) => JSON.parse(l));

  const bert = await loadModel({ model, workers: 0 });
  try {
    const saved = JSON.parse(await readFile(head, "utf8"));
    assert.deepEqual(saved.features, { input: "sentence", pooling: "cls", layer: "-1", normalize: "false" });
    const got = await bert.classify(saved, TEXTS); // the head's features pick CLS, unnormalized
    assert.equal(got.length, want.length);
    got.forEach((p, i) => {
      assert.equal(p.label, want[i].label, `text ${i}`);
      for (const [label, s] of Object.entries(want[i].scores)) assert.ok(Math.abs(p.scores[label] - s) <= 1e-5, `text ${i} ${label}: ${p.scores[label]} vs ${s}`);
    });
  } finally {
    bert.dispose();
  }
});
