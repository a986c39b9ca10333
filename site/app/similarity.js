// Cosine similarity of two texts, with their dot product and vector
// lengths: cosine ignores length, so normalization shows only there.

import { cutNote, vectors } from "./cut.js";
import { formatScore } from "./format.js";
import { withPrompt } from "./prompts.js";

export function setupSimilarity(ctx, bindTask) {
  const out = document.getElementById("sim-out");
  bindTask("similarity", out, async () => {
    const a = document.getElementById("sim-a").value;
    const b = document.getElementById("sim-b").value;
    // An empty text still embeds (to the vector of [CLS] [SEP] alone), and
    // scores around 0.5 against anything: a number that means nothing.
    const empty = [a, b].map((t, i) => (t.trim() ? null : i === 0 ? "first" : "second")).filter(Boolean);
    if (empty.length) throw new Error(`The ${empty.join(" and ")} text is empty: enter a text in both boxes.`);
    const res = await ctx.model().embed([a, b], { ...withPrompt(ctx.options(), document.getElementById("sim-prompt")), details: true });
    const [va, vb] = vectors(res);
    const dot = dotProduct(va, vb);
    const na = Math.sqrt(dotProduct(va, va));
    const nb = Math.sqrt(dotProduct(vb, vb));
    const score = na && nb ? dot / (na * nb) : 0;
    out.dataset.score = String(score);
    out.dataset.dot = String(dot);
    out.dataset.norms = JSON.stringify([na, nb]);
    const main = Object.assign(document.createElement("span"), { textContent: `Cosine similarity: ${formatScore(score)}` });
    const detail = Object.assign(document.createElement("small"), {
      className: "note",
      textContent: `dot product ${formatScore(dot)} · lengths ${formatScore(na)} and ${formatScore(nb)}`,
    });
    const cuts = [cutNote(res[0], "first text"), cutNote(res[1], "second text")].filter(Boolean).flatMap((n) => [document.createElement("br"), n]);
    out.dataset.cut = JSON.stringify(res.map((r) => r.truncated));
    out.replaceChildren(main, document.createElement("br"), detail, ...cuts);
  });
}

function dotProduct(a, b) {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}
