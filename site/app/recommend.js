// Item-to-item recommendations: every product of a small catalogue
// (data/products.tsv, written for the demo) embedded once per model and
// options by its description; a chosen product's neighbours are the
// products whose descriptions are nearest by cosine.

import { products } from "./data.js";
import { formatScore } from "./format.js";

export function setupRecommend(ctx, bindTask) {
  const out = document.getElementById("rec-out");
  const pick = document.getElementById("rec-item");
  let catalogue = null; // {key, bert, vectors}

  products()
    .then((all) => pick.replaceChildren(...all.map((p, i) => Object.assign(document.createElement("option"), { value: String(i), textContent: p.name }))))
    .catch((err) => (out.textContent = err.message));

  bindTask("recommend", out, async ({ progress }) => {
    const bert = ctx.model();
    const opts = ctx.options();
    const all = await products();
    const key = JSON.stringify(opts);
    if (catalogue?.key !== key || catalogue.bert !== bert) {
      progress(`Embedding the ${all.length} product descriptions…`);
      catalogue = { key, bert, vectors: await bert.embed(all.map((p) => p.description), opts) };
    }
    const item = Number(pick.value);
    const k = Number(document.getElementById("rec-k").value) || 5;
    const hits = (await bert.search(catalogue.vectors[item], catalogue.vectors, k + 1, opts)).filter((h) => h.index !== item).slice(0, k);
    const table = document.createElement("table");
    table.innerHTML = "<thead><tr><th scope=col>Product</th><th scope=col>Description</th><th scope=col>Cosine</th></tr></thead>";
    table.createCaption().textContent = `Customers looking at “${all[item].name}” may like`;
    const body = table.createTBody();
    for (const h of hits) {
      const tr = body.insertRow();
      tr.dataset.index = String(h.index);
      tr.dataset.score = String(h.score);
      tr.insertCell().textContent = all[h.index].name;
      tr.insertCell().textContent = all[h.index].description;
      Object.assign(tr.insertCell(), { className: "num", textContent: formatScore(h.score) });
    }
    out.replaceChildren(table);
  });
}
