// Few-shot classifier: a head trained in the page (in the library's heads
// worker, with progress and a cancel) from typed examples ("label: text"
// lines) on the model's embeddings, then applied to new texts. Needs the
// library's trainClassifier(texts, labels) and classify(classifier, texts)
// → [{label, scores}] (model/heads on the JS side).

import { capabilities } from "./capabilities.js";
import { intents, parseExamples, perLabel } from "./data.js";
import { formatScore } from "./format.js";

const EXAMPLE_INTENTS = ["order_status", "refund_request", "complaint"];

export function setupClassifier(ctx, bindTask) {
  const out = document.getElementById("clf-out");
  const box = document.getElementById("clf-examples");
  // Starting examples: a few messages of three intents from the data set.
  intents()
    .then((all) => {
      if (box.value) return;
      const some = perLabel(all.filter((e) => EXAMPLE_INTENTS.includes(e.label)), 4);
      box.value = some.map((e) => `${e.label}: ${e.text}`).join("\n");
    })
    .catch(() => {});

  bindTask(
    "classifier",
    out,
    async ({ signal, progress }) => {
      if (!capabilities.classifier) throw new Error("Not available in this build: the library has no trainClassifier()/classify().");
      const bert = ctx.model();
      const examples = parseExamples(box.value);
      const texts = document.getElementById("clf-inputs").value.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!texts.length) throw new Error("Enter at least one text to classify.");
      const onProgress = ({ phase, done, total }) =>
        progress(phase === "embed" ? `Embedding the examples: ${done} of ${total}` : `Training the head: epoch ${done} of ${total}`, done, total);
      const clf = await bert.trainClassifier(examples.map((e) => e.text), examples.map((e) => e.label), { ...ctx.options(), signal, onProgress });
      progress("Classifying…");
      const preds = await bert.classify(clf, texts, ctx.options());
      const table = document.createElement("table");
      table.innerHTML = "<caption>Predictions</caption><thead><tr><th scope=col>Text</th><th scope=col>Label</th><th scope=col>Probability</th></tr></thead>";
      const body = table.createTBody();
      preds.forEach((p, i) => {
        const tr = body.insertRow();
        tr.dataset.label = p.label;
        tr.insertCell().textContent = texts[i];
        tr.insertCell().textContent = p.label;
        const c = tr.insertCell();
        c.className = "num";
        c.textContent = formatScore(p.scores?.[p.label] ?? p.score ?? NaN);
      });
      out.replaceChildren(table);
    },
    { cancellable: true },
  );
}
