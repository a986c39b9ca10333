// A labelled matrix of cosines drawn as an SVG heatmap, each cell carrying
// its value (data-score) and a tooltip, with a colour legend (large maps
// have no room for the numbers in their cells).

import { cosineColour, svg } from "./svg.js";
import { formatScore } from "./format.js";

/** Returns a <figure> with the heatmap of matrix (rows = cols = labels). */
export function matrixFigure(labels, matrix, caption) {
  const n = labels.length;
  const cell = n > 12 ? 28 : 48;
  const short = labels.map((l, i) => `${i + 1}. ${l.length > 38 ? l.slice(0, 36) + "…" : l}`);
  const left = Math.min(320, 12 + 6.4 * Math.max(...short.map((s) => s.length)));
  const top = 24;
  const width = left + n * cell + 8;
  const height = top + n * cell + 8;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": caption });
  for (let j = 0; j < n; j++) {
    root.append(svg("text", { x: left + j * cell + cell / 2, y: top - 8, "text-anchor": "middle" }, String(j + 1)));
  }
  for (let i = 0; i < n; i++) {
    root.append(svg("text", { x: left - 6, y: top + i * cell + cell / 2 + 4, "text-anchor": "end" }, svg("title", {}, labels[i]), short[i]));
    for (let j = 0; j < n; j++) {
      const v = matrix[i][j];
      const { fill, ink } = cosineColour(v);
      const x = left + j * cell;
      const y = top + i * cell;
      root.append(
        svg(
          "g",
          { "data-i": i, "data-j": j, "data-score": v },
          svg("rect", { x, y, width: cell - 1, height: cell - 1, fill }),
          svg("title", {}, `${labels[i]} · ${labels[j]}: ${formatScore(v)}`),
          cell >= 40 ? svg("text", { x: x + cell / 2, y: y + cell / 2 + 4, "text-anchor": "middle", fill: ink }, formatScore(v, 2)) : "",
        ),
      );
    }
  }
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  fig.append(root, colourLegend(), cap);
  return fig;
}

/** The cosine colour scale from −1 to 1, with ticks. */
export function colourLegend() {
  const steps = 40;
  const w = 320;
  const pad = 12;
  const bar = (w - 2 * pad) / steps;
  const root = svg("svg", { viewBox: `0 0 ${w} 44`, width: w, height: 44, role: "img", "aria-label": "Colour scale: cosine from −1 to 1", "data-legend": "cosine" });
  for (let i = 0; i < steps; i++) {
    const v = -1 + (2 * (i + 0.5)) / steps;
    root.append(svg("rect", { x: pad + i * bar, y: 4, width: bar + 0.5, height: 14, fill: cosineColour(v).fill }));
  }
  root.append(svg("rect", { x: pad, y: 4, width: w - 2 * pad, height: 14, fill: "none", stroke: "#767676" }));
  for (const v of [-1, -0.5, 0, 0.5, 1]) {
    const x = pad + ((v + 1) / 2) * (w - 2 * pad);
    root.append(
      svg("line", { x1: x, x2: x, y1: 18, y2: 23, stroke: "#4a4a4a" }),
      svg("text", { x, y: 36, "text-anchor": "middle" }, formatScore(v, 1)),
    );
  }
  return root;
}

/** The cosine matrix of vectors (all pairs). */
export function cosineMatrix(vectors) {
  const norms = vectors.map((v) => Math.sqrt(dot(v, v)));
  return vectors.map((a, i) => vectors.map((b, j) => (norms[i] && norms[j] ? dot(a, b) / (norms[i] * norms[j]) : 0)));
}

function dot(a, b) {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}
