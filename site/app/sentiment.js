// Sentiment: each typed line labelled positive or negative, with its
// probability, by a classifier head on the sentence vectors. The shipped
// head was trained when the site was built (site/build.mjs) on the UCI
// sentiment sentences and comes with its held-out accuracy
// (data/sentiment.json); the user can instead train one here, in the
// library's heads worker, on their own "label: text" lines.

import { capabilities } from "./capabilities.js";
import { parseExamples } from "./data.js";
import { formatScore } from "./format.js";

export function setupSentiment(ctx, bindTask) {
  const section = document.getElementById("sentiment");
  const out = document.getElementById("sent-out");
  const own = document.getElementById("sent-examples");
  const about = document.getElementById("sent-about");
  let shipped = null;

  fetchJSON("data/sentiment.json")
    .then((note) => {
      about.textContent =
        `Trained at build time on ${note.train.toLocaleString("en")} review sentences of the ${note.dataset}; ` +
        `accuracy on ${note.heldOut} held-out sentences: ${(note.accuracy * 100).toFixed(1)} %.`;
    })
    .catch((err) => (about.textContent = `The shipped head is missing: ${err.message}`));

  section.addEventListener("change", (e) => {
    if (e.target.name === "sent-head") own.disabled = e.target.value !== "own";
  });

  bindTask(
    "sentiment",
    out,
    async ({ signal, progress }) => {
      if (!capabilities.classifier) throw new Error("Not available in this build: the library has no trainClassifier()/classify().");
      const bert = ctx.model();
      const texts = document.getElementById("sent-texts").value.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!texts.length) throw new Error("Enter at least one text.");
      let head;
      if (section.querySelector("input[name=sent-head]:checked").value === "own") {
        const examples = parseExamples(own.value);
        const onProgress = ({ phase, done, total }) =>
          progress(phase === "embed" ? `Embedding your examples: ${done} of ${total}` : `Training the head: epoch ${done} of ${total}`, done, total);
        head = await bert.trainClassifier(examples.map((e) => e.text), examples.map((e) => e.label), { signal, onProgress });
      } else {
        progress("Fetching the head…");
        head = shipped ??= await fetchJSON("data/sentiment-head.json");
      }
      progress("Classifying…");
      // The head fixes its own embedding options (the model's defaults).
      const preds = await bert.classify(head, texts);
      out.replaceChildren(table(texts, preds));
    },
    { cancellable: true },
  );
}

function table(texts, preds) {
  const t = document.createElement("table");
  t.innerHTML = "<caption>Sentiment</caption><thead><tr><th scope=col>Text</th><th scope=col>Label</th><th scope=col>Probability</th></tr></thead>";
  const body = t.createTBody();
  preds.forEach((p, i) => {
    const tr = body.insertRow();
    tr.dataset.label = p.label;
    tr.dataset.score = String(p.scores[p.label]);
    tr.insertCell().textContent = texts[i];
    tr.insertCell().textContent = p.label;
    const c = tr.insertCell();
    c.className = "num";
    c.textContent = formatScore(p.scores[p.label]);
  });
  return t;
}

async function fetchJSON(path) {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}
