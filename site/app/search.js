// FAQ and semantic search: the query against the built-in customer-support
// FAQ (matched on its questions, answered with its answers) or against
// texts the user pastes, top-k by cosine.

import { faqEntries } from "./data.js";
import { formatScore } from "./format.js";

// Below this cosine a query matches no FAQ question: model/faq's
// DefaultThreshold, measured for all-MiniLM-L6-v2 on its test queries.
const FAQ_THRESHOLD = 0.35;

export function setupSearch(ctx, bindTask) {
  const out = document.getElementById("search-out");
  const section = document.getElementById("search");
  const corpusBox = document.getElementById("search-corpus");
  let faqVectors = null; // [{key, vectors}]: FAQ questions embedded once per model and options

  section.addEventListener("change", (e) => {
    if (e.target.name === "corpus") corpusBox.disabled = e.target.value !== "own";
  });

  bindTask("search", out, async () => {
    const bert = ctx.model();
    const opts = ctx.options();
    const query = document.getElementById("search-q").value;
    const k = Number(document.getElementById("search-k").value) || 3;
    const own = section.querySelector("input[name=corpus]:checked").value === "own";
    if (own) {
      const docs = corpusBox.value.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!docs.length) throw new Error("Paste at least one text, one per line.");
      const hits = await bert.search(query, docs, k, opts);
      render(hits.map((h) => ({ ...h, title: h.text })), null);
      return;
    }
    const entries = await faqEntries();
    const key = JSON.stringify([bert.info(), opts]);
    if (faqVectors?.key !== key || faqVectors.bert !== bert) {
      faqVectors = { key, bert, vectors: await bert.embed(entries.map((e) => e.question), opts) };
    }
    const hits = await bert.search(query, faqVectors.vectors, k, opts);
    render(hits.map((h) => ({ ...h, title: entries[h.index].question, detail: entries[h.index].answer })), FAQ_THRESHOLD);
  });

  function render(hits, threshold) {
    const table = document.createElement("table");
    table.innerHTML = "<caption>Best matches</caption><thead><tr><th scope=col>#</th><th scope=col>Text</th><th scope=col>Cosine</th></tr></thead>";
    const body = table.createTBody();
    hits.forEach((h, rank) => {
      const tr = body.insertRow();
      tr.dataset.index = String(h.index);
      tr.dataset.score = String(h.score);
      tr.insertCell().textContent = String(rank + 1);
      const cell = tr.insertCell();
      const strong = document.createElement("strong");
      strong.textContent = h.title;
      cell.append(strong);
      if (h.detail) cell.append(document.createElement("br"), h.detail);
      const score = tr.insertCell();
      score.className = "num";
      score.textContent = formatScore(h.score);
    });
    const nodes = [table];
    if (threshold !== null && hits.length) {
      const p = document.createElement("p");
      const matched = hits[0].score >= threshold;
      p.dataset.matched = String(matched);
      p.textContent = matched
        ? `Answer: ${hits[0].detail}`
        : `No FAQ question is close enough (best cosine ${formatScore(hits[0].score)} < ${threshold}); try rephrasing.`;
      nodes.unshift(p);
    }
    out.replaceChildren(...nodes);
  }
}
