// Similarity heatmap of a list of texts.

import { cosineMatrix, matrixFigure } from "./matrix.js";

export function setupHeatmap(ctx, bindTask) {
  const out = document.getElementById("heat-out");
  bindTask("heatmap", out, async () => {
    const texts = document.getElementById("heat-texts").value.split("\n").map((l) => l.trim()).filter(Boolean);
    if (texts.length < 2) throw new Error("Enter at least two texts, one per line.");
    if (texts.length > 40) throw new Error("At most 40 texts: the map would be unreadable.");
    const vectors = await ctx.model().embed(texts, ctx.options());
    out.replaceChildren(matrixFigure(texts, cosineMatrix(vectors), "Cosine similarity of every pair of texts"));
  });
}
