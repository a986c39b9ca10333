// "Static or contextual?": the vectors of one word in several sentences,
// taken from each hidden layer (0 = the embeddings output), compared by
// cosine. A word split into several word pieces gets the mean of their
// vectors.

import { cosineMatrix, matrixFigure } from "./matrix.js";
import { formatScore } from "./format.js";
import { svg } from "./svg.js";

export function setupContextual(ctx, bindTask) {
  const out = document.getElementById("ctx-out");
  const controls = document.getElementById("ctx-controls");
  const slider = document.getElementById("ctx-layer");
  const shown = document.getElementById("ctx-layer-value");
  let result = null; // {sentences, matrices: [layer][i][j]}

  function show() {
    if (!result) return;
    const layer = Number(slider.value);
    shown.textContent = layer === 0 ? "0 (embeddings output)" : String(layer);
    const m = result.matrices[layer];
    const fig = matrixFigure(result.sentences, m, `Cosine between the vectors of “${result.word}” at layer ${layer}`);
    fig.dataset.layer = String(layer);
    out.replaceChildren(layerChart(result.word, result.matrices.map(meanOffDiagonal), layer), fig);
  }

  slider.addEventListener("input", show);

  bindTask("contextual", out, async () => {
    const bert = ctx.model();
    const word = document.getElementById("ctx-word").value.trim();
    if (!word || /\s/.test(word)) throw new Error("Enter one word.");
    const sentences = document.getElementById("ctx-sentences").value.split("\n").map((l) => l.trim()).filter(Boolean);
    if (sentences.length < 2) throw new Error("Enter at least two sentences, one per line.");
    const spans = sentences.map((s, i) => {
      const span = wordSpan(s, word);
      if (!span) throw new Error(`Sentence ${i + 1} does not contain “${word}”.`);
      return span;
    });
    const layers = bert.info().layers;
    const matrices = [];
    for (let layer = 0; layer <= layers; layer++) {
      const embs = await bert.embed(sentences, { tokens: true, layer });
      matrices.push(cosineMatrix(embs.map((e, i) => wordVector(e.tokens, spans[i], sentences[i], word))));
    }
    result = { word, sentences, matrices };
    controls.hidden = false;
    show();
  });

  return {
    /** A new model: the slider starts on its last layer, as the page's default. */
    setLayers(n) {
      slider.max = String(Math.max(n, 0));
      slider.value = String(n);
      result = null;
    },
  };
}

/**
 * The span [start, end) in string indices (UTF-16, as the library's token
 * offsets) of the first whole-word, case-insensitive occurrence of word in
 * sentence.
 */
export function wordSpan(sentence, word) {
  const esc = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, "iu").exec(sentence);
  if (!m) return null;
  return { start: m.index, end: m.index + m[0].length };
}

/** The mean vector of the tokens inside span. */
function wordVector(tokens, span, sentence, word) {
  const inside = tokens.filter((t) => t.end > t.start && t.start >= span.start && t.end <= span.end);
  if (!inside.length) throw new Error(`No token of “${word}” found in “${sentence}” (was it truncated?).`);
  const v = new Float32Array(inside[0].vector.length);
  for (const t of inside) for (let k = 0; k < v.length; k++) v[k] += t.vector[k] / inside.length;
  return v;
}

function meanOffDiagonal(m) {
  let s = 0;
  let n = 0;
  for (let i = 0; i < m.length; i++) for (let j = 0; j < m.length; j++) if (i !== j) (s += m[i][j]), n++;
  return n ? s / n : 0;
}

/** Line chart: mean cosine between the word's occurrences at each layer. */
function layerChart(word, means, current) {
  const w = 420;
  const h = 200;
  const pad = { l: 44, r: 12, t: 14, b: 36 };
  const x = (i) => pad.l + (i * (w - pad.l - pad.r)) / Math.max(1, means.length - 1);
  const lo = Math.min(0, ...means);
  const y = (v) => pad.t + ((1 - v) * (h - pad.t - pad.b)) / (1 - lo);
  const caption = `Mean cosine between the occurrences of “${word}”, by layer`;
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: "img", "aria-label": caption });
  for (const v of [lo, (1 + lo) / 2, 1]) {
    root.append(
      svg("line", { x1: pad.l, x2: w - pad.r, y1: y(v), y2: y(v), stroke: "#c4c4c4" }),
      svg("text", { x: pad.l - 6, y: y(v) + 4, "text-anchor": "end" }, v.toFixed(1)),
    );
  }
  root.append(
    svg("polyline", { points: means.map((v, i) => `${x(i)},${y(v)}`).join(" "), fill: "none", stroke: "#1d3b6f", "stroke-width": 2 }),
    svg("text", { x: (pad.l + w - pad.r) / 2, y: h - 4, "text-anchor": "middle" }, "layer"),
  );
  means.forEach((v, i) => {
    root.append(
      svg("text", { x: x(i), y: h - pad.b + 16, "text-anchor": "middle" }, String(i)),
      svg(
        "circle",
        { cx: x(i), cy: y(v), r: i === current ? 6 : 4, fill: i === current ? "#e07b00" : "#1d3b6f", "data-layer": i, "data-mean": v },
        svg("title", {}, `layer ${i}: ${formatScore(v)}`),
      ),
    );
  });
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  fig.append(root, cap);
  return fig;
}
