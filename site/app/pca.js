// 2-D PCA scatter of the intents corpus, coloured by intent. Needs the
// library's pca(vectors, k) (model/similarity's FitPCA on the JS side);
// without it the section says so.

import { capabilities } from "./capabilities.js";
import { intents, perLabel } from "./data.js";
import { CATEGORY_COLOURS, svg } from "./svg.js";

export function setupPCA(ctx, bindTask) {
  const out = document.getElementById("pca-out");
  bindTask("pca", out, async () => {
    if (!capabilities.pca) throw new Error("Not available in this build: the library has no pca().");
    const bert = ctx.model();
    const n = Number(document.getElementById("pca-n").value) || 12;
    const all = await intents();
    const labels = [...new Set(all.map((e) => e.label))].slice(0, CATEGORY_COLOURS.length);
    const rows = perLabel(all.filter((e) => labels.includes(e.label)), n);
    const vectors = await bert.embed(rows.map((r) => r.text), ctx.options());
    const points = await bert.pca(vectors, 2);
    out.replaceChildren(scatter(rows, points, labels));
  });
}

function scatter(rows, points, labels) {
  const w = 560;
  const h = 420;
  const pad = 24;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const sx = scale(xs, pad, w - pad);
  const sy = scale(ys, h - pad, pad);
  const caption = `${rows.length} messages, first two principal components, coloured by intent`;
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: "img", "aria-label": caption });
  root.append(svg("rect", { x: 0, y: 0, width: w, height: h, fill: "#fff", stroke: "#c4c4c4" }));
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

function scale(values, from, to) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  return (v) => from + ((v - lo) / span) * (to - from);
}
