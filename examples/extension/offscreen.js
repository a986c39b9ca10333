// The offscreen document: where the extension keeps its model. An offscreen
// document is a page without a window, so the library runs here as in any
// page (engine in a Web Worker, heads module in another), and it lives
// until the extension closes it, unlike the service worker. It sees only
// chrome.runtime: requests come from background.js as messages.
import { load } from "./wasmbert/js/index.js";

let bertP = null;

function model() {
  // Packaged files are already local; a second copy in the Cache API would only cost space.
  bertP ??= load({ model: chrome.runtime.getURL("models/model.wbm"), workers: 1, cache: false });
  return bertP;
}

chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
  if (msg?.target !== "offscreen") return false;
  handle(msg).then(reply, (err) => reply({ error: err?.message ?? String(err) }));
  return true; // replies asynchronously
});

async function handle(msg) {
  const bert = await model();
  if (msg.op === "similar") return { hits: await bert.search(msg.query, msg.passages, msg.k) };
  if (msg.op === "classify") {
    const head = msg.head ?? (await trainSentiment(bert));
    return { prediction: await bert.classify(head, msg.text), head };
  }
  throw new Error(`wasmbert: unknown request ${msg.op}`);
}

/** Trains the sentiment head on the packaged reviews (data/sentiment.tsv, the "train" lines). */
async function trainSentiment(bert) {
  const texts = [];
  const labels = [];
  for (const { set, label, text } of parseReviews(await (await fetch(chrome.runtime.getURL("data/sentiment.tsv"))).text())) {
    if (set !== "train") continue;
    texts.push(text);
    labels.push(label);
  }
  return bert.trainClassifier(texts, labels);
}

/** The lines of a set<TAB>label<TAB>text file, comments (#) skipped. */
function parseReviews(tsv) {
  return tsv
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => {
      const [set, label, text] = l.split("\t");
      return { set, label, text };
    });
}
