// FAQ and semantic search: the query against the built-in customer-support
// FAQ (matched on its questions, answered with its answers; in Chinese too,
// offered for a model that reads Chinese) or against texts the user
// pastes, top-k by cosine. With a model that has prompts,
// the query and the documents each get the prompt chosen for their role.

import { chineseFaqEntries, faqEntries } from "./data.js";
import { cutNote, vectors } from "./cut.js";
import { formatScore } from "./format.js";
import { withPrompt } from "./prompts.js";

// Below this cosine a query matches no FAQ question: model/faq's
// DefaultThreshold, measured for all-MiniLM-L6-v2 on its test queries.
const FAQ_THRESHOLD = 0.35;

export function setupSearch(ctx, bindTask) {
  const out = document.getElementById("search-out");
  const section = document.getElementById("search");
  const corpusBox = document.getElementById("search-corpus");
  let faqVectors = null; // {key, bert, vectors}: FAQ questions embedded once per FAQ, model and options

  section.addEventListener("change", (e) => {
    if (e.target.name === "corpus") corpusBox.disabled = e.target.value !== "own";
  });

  bindTask("search", out, async () => {
    const bert = ctx.model();
    const opts = ctx.options();
    const queryOpts = withPrompt(opts, document.getElementById("search-query-prompt"));
    const docOpts = withPrompt(opts, document.getElementById("search-doc-prompt"));
    const query = document.getElementById("search-q").value;
    const k = Number(document.getElementById("search-k").value) || 3;
    const corpus = section.querySelector("input[name=corpus]:checked").value;
    if (corpus === "own") {
      const docs = corpusBox.value.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!docs.length) throw new Error("Paste at least one text, one per line.");
      const [q, ...res] = await embedRoles(bert, query, docs, queryOpts, docOpts);
      const hits = (await bert.search(q.vector, vectors(res), k, opts)).map((h) => ({ ...h, text: docs[h.index], cut: res[h.index] }));
      render(hits.map((h) => ({ ...h, title: h.text })), null, q);
      return;
    }
    const entries = corpus === "faq-zh" ? await chineseFaqEntries() : await faqEntries();
    const key = JSON.stringify([corpus, bert.info(), docOpts]);
    if (faqVectors?.key !== key || faqVectors.bert !== bert) {
      faqVectors = { key, bert, vectors: await bert.embed(entries.map((e) => e.question), docOpts) };
    }
    const q = await bert.embed(query, { ...queryOpts, details: true });
    const hits = await bert.search(q.vector, faqVectors.vectors, k, opts);
    render(hits.map((h) => ({ ...h, title: entries[h.index].question, detail: entries[h.index].answer })), FAQ_THRESHOLD, q);
  });

  // The query and the documents in one embed() call when they share a
  // prompt, with how much of each text the model read.
  async function embedRoles(bert, query, docs, queryOpts, docOpts) {
    if (queryOpts.prompt === docOpts.prompt) return bert.embed([query, ...docs], { ...queryOpts, details: true });
    return [await bert.embed(query, { ...queryOpts, details: true }), ...(await bert.embed(docs, { ...docOpts, details: true }))];
  }

  // hits: {index, score, title, detail?, cut?} where cut is the text's
  // embed() details; query: the query's.
  function render(hits, threshold, query) {
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
      const note = h.cut && cutNote(h.cut);
      tr.dataset.cut = String(Boolean(note));
      if (note) cell.append(document.createElement("br"), note);
      const score = tr.insertCell();
      score.className = "num";
      score.textContent = formatScore(h.score);
    });
    const nodes = [table];
    const queryCut = cutNote(query, "The query was");
    if (queryCut) nodes.unshift(queryCut);
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
