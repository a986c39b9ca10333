// 2-D PCA scatter of the intents corpus, coloured by intent. Needs the
// library's pca(vectors, k) (model/similarity's FitPCA, run in the heads
// worker); without it the section says so. Each axis says how much of the
// corpus's variance its component holds.

import { capabilities } from "./capabilities.js";
import { intents, perLabel } from "./data.js";
import { formatScore } from "./format.js";
import { explained } from "./variance.js";
import { CATEGORY_COLOURS, svg } from "./svg.js";

const BATCH = 16;

export function setupPCA(ctx, bindTask) {
  const out = document.getElementById("pca-out");
  bindTask(
    "pca",
    out,
    async ({ signal, progress }) => {
      if (!capabilities.pca) throw new Error("Not available in this build: the library has no pca().");
      const bert = ctx.model();
      const n = Number(document.getElementById("pca-n").value) || 8;
      const all = await intents();
      const labels = [...new Set(all.map((e) => e.label))].slice(0, CATEGORY_COLOURS.length);
      const rows = perLabel(all.filter((e) => labels.includes(e.label)), n);
      const vectors = [];
      for (let i = 0; i < rows.length; i += BATCH) {
        signal.throwIfAborted();
        progress(`Embedding messages: ${i} of ${rows.length}`, i, rows.length);
        vectors.push(...(await bert.embed(rows.slice(i, i + BATCH).map((r) => r.text), ctx.options())));
      }
      progress("Finding the principal components…");
      const points = await bert.pca(vectors, 2, { signal });
      out.replaceChildren(scatter(rows, points, labels, explained(vectors, points)));
    },
    { cancellable: true },
  );
}

function scatter(rows, points, labels, shares) {
  const w = 560;
  const h = 420;
  const pad = { l: 56, r: 16, t: 12, b: 48 };
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const sx = scale(xs, pad.l, w - pad.r);
  const sy = scale(ys, h - pad.b, pad.t);
  const axis = (i) => `PC ${i + 1} (${Math.round(shares[i] * 100)} % of variance)`;
  const caption = `${rows.length} messages, first two principal components, coloured by intent`;
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: "img", "aria-label": caption });
  root.append(svg("rect", { x: pad.l, y: pad.t, width: w - pad.l - pad.r, height: h - pad.t - pad.b, fill: "#fff", stroke: "#c4c4c4" }));
  for (const t of ticks(xs)) {
    root.append(
      svg("line", { x1: sx(t), x2: sx(t), y1: h - pad.b, y2: h - pad.b + 5, stroke: "#4a4a4a" }),
      svg("text", { x: sx(t), y: h - pad.b + 18, "text-anchor": "middle" }, formatScore(t, 2)),
    );
  }
  for (const t of ticks(ys)) {
    root.append(
      svg("line", { x1: pad.l - 5, x2: pad.l, y1: sy(t), y2: sy(t), stroke: "#4a4a4a" }),
      svg("text", { x: pad.l - 8, y: sy(t) + 4, "text-anchor": "end" }, formatScore(t, 2)),
    );
  }
  root.append(
    svg("text", { x: (pad.l + w - pad.r) / 2, y: h - 8, "text-anchor": "middle", "data-axis": "x" }, axis(0)),
    svg("text", { x: 14, y: (pad.t + h - pad.b) / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${(pad.t + h - pad.b) / 2})`, "data-axis": "y" }, axis(1)),
  );
  rows.forEach((r, i) => {
    const c = CATEGORY_COLOURS[labels.indexOf(r.label)];
    root.append(
      svg("circle", { cx: sx(xs[i]), cy: sy(ys[i]), r: 5, fill: c, "fill-opacity": 0.85, "data-label": r.label, "data-x": xs[i], "data-y": ys[i] }, svg("title", {}, `${r.label}: ${r.text}`)),
    );
  });
  const legend = document.createElement("ul");
  legend.className = "legend";
  for (const [i, l] of labels.entries()) {
    const li = document.createElement("li");
    const dot = document.createElement("span");
    dot.style.background = CATEGORY_COLOURS[i];
    li.append(dot, l.replaceAll("_", " "));
    legend.append(li);
  }
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  fig.append(root, legend, cap);
  return fig;
}

// Five evenly spaced values across the data's range.
function ticks(values) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
}

function scale(values, from, to) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  return (v) => from + ((v - lo) / span) * (to - from);
}
