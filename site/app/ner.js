// Named entities highlighted in the text, found by the demo tagger head
// that site/build.mjs trained once with `wasmbert ner` and ships as
// data/ner-tagger.json (training it here took 30-60 s on a slow machine).
// Needs the library's ner(tagger, text) → [{start, end, label, score, text}].

import { capabilities } from "./capabilities.js";
import { formatScore } from "./format.js";

export function setupNER(ctx, bindTask) {
  const out = document.getElementById("ner-out");
  let tagger = null;

  bindTask("ner", out, async ({ progress }) => {
    if (!capabilities.ner) throw new Error("Not available in this build: the library has no ner().");
    const bert = ctx.model();
    const text = document.getElementById("ner-text").value;
    if (!text.trim()) throw new Error("Enter a text.");
    if (!tagger) {
      progress("Fetching the tagger…");
      const res = await fetch("data/ner-tagger.json");
      if (!res.ok) throw new Error(`data/ner-tagger.json: HTTP ${res.status}`);
      tagger = await res.json();
    }
    progress("Tagging…");
    const entities = await bert.ner(tagger, text);
    out.replaceChildren(highlight(text, entities));
  });
}

function highlight(text, entities) {
  const p = document.createElement("p");
  // ner() offsets are string indices (UTF-16), what slice() takes.
  const chars = [...entities].sort((a, b) => a.start - b.start);
  let at = 0;
  for (const e of chars) {
    if (e.start < at) continue;
    p.append(text.slice(at, e.start));
    const mark = document.createElement("mark");
    mark.dataset.label = e.label;
    mark.title = `${e.label}, ${formatScore(e.score ?? NaN)}`;
    const tag = document.createElement("small");
    tag.textContent = e.label;
    mark.append(text.slice(e.start, e.end), tag);
    p.append(mark);
    at = e.end;
  }
  p.append(text.slice(at));
  if (!entities.length) p.append(" (no entities found)");
  return p;
}
