// The content script: reads the page's passages for the service worker and
// shows what came back (similar passages outlined, the sentiment of the
// selection) in a small panel. It never loads the model: that stays in the
// extension's offscreen document, one copy for every tab.

// Block elements whose text makes a passage; shorter texts are navigation and labels.
const PASSAGES = "p, li, blockquote, dd, h1, h2, h3, td";
const MIN_CHARS = 20;
// Enough passages for a long article; more would make one request slow.
const MAX_PASSAGES = 500;

let elements = [];

chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
  if (msg.type === "passages") {
    elements = [...document.querySelectorAll(PASSAGES)].filter((e) => e.innerText.trim().length >= MIN_CHARS).slice(0, MAX_PASSAGES);
    reply(elements.map((e) => e.innerText.trim()));
  } else if (msg.type === "show") {
    show(msg.result);
    reply(true);
  }
});

function show(result) {
  for (const e of document.querySelectorAll("[data-wasmbert-rank]")) {
    e.style.outline = "";
    delete e.dataset.wasmbertRank;
    delete e.dataset.wasmbertScore;
  }
  let text;
  if (result.type === "similar") {
    result.hits.forEach(({ index, score }, rank) => {
      const e = elements[index];
      e.style.outline = "2px solid #e8a317";
      e.dataset.wasmbertRank = String(rank + 1);
      e.dataset.wasmbertScore = score.toFixed(3);
    });
    elements[result.hits[0]?.index]?.scrollIntoView({ block: "center" });
    text = `${result.hits.length} passages most similar to “${result.query}” are outlined (best: ${result.hits[0]?.score.toFixed(3)})`;
  } else if (result.type === "classify") {
    const { label, scores } = result.prediction;
    text = `Sentiment: ${label} (${(100 * scores[label]).toFixed(0)}%)`;
  } else {
    text = `wasmbert: ${result.message}`;
  }
  panel(text, result.type === "classify" ? result.prediction.label : "");
}

function panel(text, label) {
  let p = document.getElementById("wasmbert-result");
  if (!p) {
    p = document.createElement("div");
    p.id = "wasmbert-result";
    p.style.cssText = "position:fixed;right:1em;bottom:1em;z-index:2147483647;max-width:24em;padding:.6em .8em;background:#fff;color:#222;border:1px solid #e8a317;border-radius:4px;font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px #0003";
    p.addEventListener("click", () => p.remove());
    document.documentElement.append(p);
  }
  p.textContent = text;
  p.dataset.label = label;
}

// Lets the page (and the test driving it) know the script is listening.
document.documentElement.dataset.wasmbert = "ready";
