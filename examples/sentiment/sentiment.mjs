#!/usr/bin/env node
// Sentiment with a classifier head, in Node: trains a head on the "train"
// reviews of site/data/sentiment.tsv (written for this project) on top of
// all-MiniLM-L6-v2 sentence vectors and reports its accuracy on the
// "heldout" reviews, which it never trains on. With --head it trains nothing
// and measures a saved head instead: one written by --save, or the
// X.head.json `wasmbert convert` writes for a Hugging Face fine-tuned
// BertForSequenceClassification checkpoint (then --model is that X.wbm, the
// checkpoint's own encoder; its labels are compared case-insensitively, so
// POSITIVE/NEGATIVE heads count). Texts after the flags are classified too.
//
//   node examples/sentiment/sentiment.mjs [--model X.wbm] [--head X.head.json | --save HEAD.json] [--json] [texts...]
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { load } from "../../js/index.js";

const ROOT = new URL("../../", import.meta.url);
const DATA = new URL("site/data/sentiment.tsv", ROOT);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: "string", default: new URL("dist/models/all-MiniLM-L6-v2.int8.wbm", ROOT).pathname },
    engine: { type: "string", default: new URL("dist/engine/", ROOT).pathname },
    head: { type: "string" },
    save: { type: "string" },
    seed: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
  },
});

/** The reviews of the data file: {set, label, text}. */
async function readReviews() {
  const lines = (await readFile(DATA, "utf8")).split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  return lines.map((l) => {
    const [set, label, text] = l.split("\t");
    return { set, label, text };
  });
}

const reviews = await readReviews();
const train = reviews.filter((r) => r.set === "train");
const heldOut = reviews.filter((r) => r.set === "heldout");
const bert = await load({ model: values.model, engineURL: values.engine, cache: false });
try {
  const head = values.head
    ? await bert.loadHead(values.head)
    : await bert.trainClassifier(train.map((r) => r.text), train.map((r) => r.label), { seed: Number(values.seed) });
  if (values.save) await writeFile(values.save, JSON.stringify(head));
  const preds = await bert.classify(head, heldOut.map((r) => r.text));
  const wrong = heldOut.filter((r, i) => preds[i].label.toLowerCase() !== r.label);
  const correct = heldOut.length - wrong.length;
  const extra = positionals.length ? await bert.classify(head, positionals) : [];
  const report = {
    head: values.head ?? `trained on ${train.length} reviews`,
    heldOut: heldOut.length,
    correct,
    accuracy: correct / heldOut.length,
    wrong: wrong.map((r) => r.text),
    texts: positionals.map((text, i) => ({ text, label: extra[i].label, score: extra[i].scores[extra[i].label] })),
  };
  if (values.json) {
    console.log(JSON.stringify(report));
  } else {
    console.log(`head: ${report.head}`);
    console.log(`held-out accuracy: ${correct}/${heldOut.length} = ${report.accuracy.toFixed(3)}`);
    for (const text of report.wrong) console.log(`  wrong: ${text}`);
    for (const t of report.texts) console.log(`${t.label}\t${t.score.toFixed(3)}\t${t.text}`);
  }
} finally {
  bert.dispose();
}
