// Cosine similarity of two texts.

import { formatScore } from "./format.js";

export function setupSimilarity(ctx, bindTask) {
  const out = document.getElementById("sim-out");
  bindTask("similarity", out, async () => {
    const a = document.getElementById("sim-a").value;
    const b = document.getElementById("sim-b").value;
    const score = await ctx.model().similarity(a, b, ctx.options());
    out.dataset.score = String(score);
    out.textContent = `Cosine similarity: ${formatScore(score)}`;
  });
}
