// Entity embeddings: a mention's vector is the mean of its words' vectors
// in context (embed with `words: "mean"`), so "Apple" the company and
// "apple" the fruit get different vectors, and each mention's nearest
// mentions across the sentences tell which sense it has.

import { cosine } from "../lib/vectors.js";
import { formatScore } from "./format.js";
import { mentionVector, parseMentions } from "./mentions.js";

const NEIGHBOURS = 3;

export function setupEntities(ctx, bindTask) {
  const out = document.getElementById("ent-out");
  bindTask("entities", out, async ({ progress }) => {
    const bert = ctx.model();
    const sentences = document.getElementById("ent-sentences").value.split("\n").filter((l) => l.trim()).map(parseMentions);
    const mentions = sentences.flatMap((s, i) => s.mentions.map((m) => ({ ...m, sentence: i })));
    if (mentions.length < 2) throw new Error("Mark at least two entity mentions, each in [brackets].");
    progress(`Embedding ${sentences.length} sentences…`);
    const embedded = await bert.embed(
      sentences.map((s) => s.text),
      { ...ctx.options(), words: "mean" },
    );
    for (const m of mentions) m.vector = mentionVector(embedded[m.sentence].words, sentences[m.sentence].text, m);
    out.replaceChildren(table(mentions, sentences));
  });
}

// The same name in two sentences starts from the same word pieces, so it
// is always close to itself; the neighbours that tell the sense apart are
// the other names, listed separately.
function table(mentions, sentences) {
  const t = document.createElement("table");
  t.innerHTML =
    "<caption>Nearest mentions (cosine of their vectors in context)</caption>" +
    "<thead><tr><th scope=col>Mention (sentence)</th><th scope=col>Nearest other entities</th><th scope=col>Same name elsewhere</th></tr></thead>";
  const body = t.createTBody();
  const label = (m) => `${m.name} (${m.sentence + 1})`;
  const key = (m) => m.name.toLowerCase();
  const show = (list) => list.map((o) => `${label(o.m)} ${formatScore(o.score)}`).join(" · ") || "—";
  for (const m of mentions) {
    const others = mentions.filter((o) => o !== m).map((o) => ({ m: o, score: cosine(m.vector, o.vector) }));
    others.sort((a, b) => b.score - a.score);
    const near = others.filter((o) => key(o.m) !== key(m)).slice(0, NEIGHBOURS);
    const same = others.filter((o) => key(o.m) === key(m));
    const tr = body.insertRow();
    tr.dataset.mention = label(m);
    tr.dataset.nearest = JSON.stringify(near.map((o) => label(o.m)));
    tr.dataset.scores = JSON.stringify(near.map((o) => o.score));
    tr.dataset.same = JSON.stringify(same.map((o) => [label(o.m), o.score]));
    tr.insertCell().append(Object.assign(document.createElement("strong"), { textContent: label(m) }), document.createElement("br"), sentences[m.sentence].text);
    tr.insertCell().textContent = show(near);
    tr.insertCell().textContent = show(same);
  }
  return t;
}
