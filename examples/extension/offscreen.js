// The offscreen document: holds the model, loaded once on the first request
// (from the package, like embed.js), and ranks texts for the service worker.
import { load } from "./wasmbert/js/index.js";

let bertP = null;

function model() {
  bertP ??= load({ model: chrome.runtime.getURL("models/model.wbm"), workers: 1, cache: false });
  bertP.catch(() => (bertP = null)); // a failed load is tried again on the next request
  return bertP;
}

chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
  // Every extension context sees runtime messages; these are the ones for us.
  if (msg?.target !== "offscreen") return false;
  rank(msg).then(
    (hits) => reply({ ok: true, hits }),
    (err) => reply({ ok: false, error: err.message }),
  );
  return true; // replies asynchronously
});

async function rank({ query, texts, k }) {
  const bert = await model();
  const hits = await bert.search(query, texts, k);
  return hits.map(({ index, score }) => ({ index, score }));
}
