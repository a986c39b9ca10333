// Named entities highlighted in the text. The tagger head is trained in the
// page on the NER sentences of model/heads' test data, once per model.
// Needs the library's trainTagger(examples) and ner(tagger, text) →
// [{start, end, label, score, text}] (model/heads on the JS side).

import { capabilities } from "./capabilities.js";
import { nerExamples } from "./data.js";
import { formatScore } from "./format.js";

export function setupNER(ctx, bindTask) {
  const out = document.getElementById("ner-out");
  let trained = null; // {bert, tagger}

  bindTask("ner", out, async () => {
    if (!capabilities.ner) throw new Error("Not available in this build: the library has no ner().");
    const bert = ctx.model();
    const text = document.getElementById("ner-text").value;
    if (!text.trim()) throw new Error("Enter a text.");
    if (trained?.bert !== bert) {
      out.textContent = "Training the tagger on the example sentences…";
      trained = { bert, tagger: await bert.trainTagger(await nerExamples()) };
    }
    const entities = await bert.ner(trained.tagger, text);
    out.replaceChildren(highlight(text, entities));
  });
}

function highlight(text, entities) {
  const p = document.createElement("p");
  const chars = entities.map((e) => charSpan(text, e)).sort((a, b) => a.start - b.start);
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

// The Go tagger reports UTF-8 byte offsets; a JS API may convert them to
// string indices. The entity's own text tells which.
function charSpan(text, e) {
  if (e.text === undefined || text.slice(e.start, e.end) === e.text) return e;
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const start = dec.decode(bytes.subarray(0, e.start)).length;
  return { ...e, start, end: start + dec.decode(bytes.subarray(e.start, e.end)).length };
}
