// Word pieces: how WordPiece splits words outside its vocabulary and what
// the pieces' vectors mean. Each piece gets its own vector; in context the
// pieces of one word point the same way (cosine to the word's mean vector),
// and the sentence vector is the mean of every piece.

import { cosineMatrix } from "./matrix.js";
import { formatScore } from "./format.js";

export function setupPieces(ctx, bindTask) {
  const out = document.getElementById("pieces-out");
  bindTask("pieces", out, async () => {
    const text = document.getElementById("pieces-text").value.trim();
    if (!text) throw new Error("Enter a text.");
    const [emb] = await ctx.model().embed([text], { ...ctx.options(), tokens: true });
    const pieces = emb.tokens.filter((t) => t.end > t.start);
    const table = document.createElement("table");
    table.innerHTML =
      "<caption>Word pieces and their vectors (last layer)</caption><thead><tr><th scope=col>Word</th><th scope=col>Piece</th>" +
      "<th scope=col>Cosine to its word</th><th scope=col>Cosine to the sentence</th></tr></thead>";
    const body = table.createTBody();
    for (const word of groupWords(pieces)) {
      const mean = meanVector(word.map((p) => p.vector));
      word.forEach((p, k) => {
        const tr = body.insertRow();
        tr.dataset.start = String(p.start);
        tr.dataset.toWord = String(cos(p.vector, mean));
        tr.dataset.toSentence = String(cos(p.vector, emb.vector));
        if (k === 0) {
          const w = tr.insertCell();
          w.textContent = word.map((x) => x.token.replace(/^##/, "")).join("");
          w.rowSpan = word.length;
        }
        tr.insertCell().textContent = p.token;
        // A word of one piece is its own mean: its cosine to it says nothing.
        const cells = [word.length > 1 ? formatScore(Number(tr.dataset.toWord)) : "—", formatScore(Number(tr.dataset.toSentence))];
        for (const v of cells) Object.assign(tr.insertCell(), { className: "num", textContent: v });
      });
    }
    const split = groupWords(pieces).filter((w) => w.length > 1).length;
    const note = Object.assign(document.createElement("p"), {
      textContent: `${pieces.length} pieces; ${split} word(s) split into several. “##” marks a piece that continues a word.`,
    });
    out.replaceChildren(note, table);
  });
}

// Consecutive pieces of one word: a "##" piece continues the previous one.
function groupWords(pieces) {
  const words = [];
  for (const p of pieces) {
    if (p.token.startsWith("##") && words.length) words.at(-1).push(p);
    else words.push([p]);
  }
  return words;
}

function meanVector(vs) {
  const m = new Float32Array(vs[0].length);
  for (const v of vs) for (let k = 0; k < m.length; k++) m[k] += v[k] / vs.length;
  return m;
}

function cos(a, b) {
  return cosineMatrix([a, b])[0][1];
}
