// Sentiment: each typed line labelled positive or negative, with its
// probability, by a classifier head on the sentence vectors. The head is
// trained here, in the library's heads worker (progress, cancel), on the
// first use of the tab: on the "train" reviews of data/sentiment.tsv,
// written for the demo, plus any labelled lines the user adds. It is then
// scored on the "heldout" reviews, which it never saw, and the page states
// that accuracy. The head is kept until the model or the added lines change.

import { capabilities } from "./capabilities.js";
import { parseExamples, sentimentReviews } from "./data.js";
import { formatScore } from "./format.js";

// A fixed seed: the same model and lines give the same head, and so the
// same held-out accuracy, on every visit.
const SEED = 1;

export function setupSentiment(ctx, bindTask) {
  const out = document.getElementById("sent-out");
  const about = document.getElementById("sent-about");
  let trained = null; // {bert, added, head}

  sentimentReviews()
    .then((all) => {
      const n = (set) => all.filter((r) => r.set === set).length;
      about.textContent =
        `The head is trained in your browser on the first Classify, on ${n("train")} labelled reviews written for this demo ` +
        `(and any lines you add), and checked on ${n("heldout")} held-out reviews it never sees in training.`;
    })
    .catch((err) => (about.textContent = `The training reviews are missing: ${err.message}`));

  bindTask(
    "sentiment",
    out,
    async ({ signal, progress }) => {
      if (!capabilities.classifier) throw new Error("Not available in this build: the library has no trainClassifier()/classify().");
      const bert = ctx.model();
      const texts = document.getElementById("sent-texts").value.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!texts.length) throw new Error("Enter at least one text.");
      const added = document.getElementById("sent-examples").value;
      if (trained?.bert !== bert || trained.added !== added) {
        trained = null;
        delete about.dataset.correct;
        delete about.dataset.total;
        trained = { bert, added, ...(await train(bert, added, { signal, progress })) };
        showAccuracy(trained);
      }
      progress("Classifying…");
      // The head fixes its own embedding options (the model's defaults).
      const preds = await bert.classify(trained.head, texts);
      out.replaceChildren(table(texts, preds));
    },
    { cancellable: true },
  );

  async function train(bert, added, { signal, progress }) {
    const reviews = await sentimentReviews();
    const own = parseExamples(added, { minLabels: 0 });
    const examples = [...reviews.filter((r) => r.set === "train"), ...own];
    const heldOut = reviews.filter((r) => r.set === "heldout");
    const onProgress = ({ phase, done, total }) =>
      progress(phase === "embed" ? `Embedding the training reviews: ${done} of ${total}` : `Training the head: epoch ${done} of ${total}`, done, total);
    const head = await bert.trainClassifier(examples.map((e) => e.text), examples.map((e) => e.label), { seed: SEED, signal, onProgress });
    progress(`Checking the head on ${heldOut.length} held-out reviews…`);
    const preds = await bert.classify(head, heldOut.map((e) => e.text));
    const correct = preds.filter((p, i) => p.label === heldOut[i].label).length;
    return { head, trainCount: examples.length, ownCount: own.length, correct, heldOut: heldOut.length };
  }

  function showAccuracy(t) {
    about.dataset.correct = String(t.correct);
    about.dataset.total = String(t.heldOut);
    const own = t.ownCount ? ` (${t.ownCount} of them yours)` : "";
    about.textContent =
      `Trained here on ${t.trainCount} labelled reviews${own}. ` +
      `Held-out accuracy: ${t.correct} of ${t.heldOut} reviews right, ${((100 * t.correct) / t.heldOut).toFixed(1)} % (chance: 50 %).`;
  }
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
