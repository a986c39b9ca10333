// One text on 1 worker of a 2-worker pool against split across both (parallel: "auto"),
// side by side in one run: node js/bench/split.js [token counts, e.g. 16,64,128]. Texts
// under the threshold in js/index.js are not split, so lower it to time short splits.
import { load } from "../index.js";
const model = new URL("../../dist/models/all-MiniLM-L6-v2.int8.wbm", import.meta.url);
const a = await load({ model, workers: 2 });
const b = await load({ model, workers: 2, parallel: "auto" });
const words = "the quick brown fox jumps over lazy dogs while search boxes wait for answers".split(" ");
const p50 = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
for (const n of (process.argv[2] ?? "16,32,48,64,128").split(",").map(Number)) {
  let text = "";
  let i = 0;
  while ((await a.tokenize(text)).ids.length < n) text += words[i++ % words.length] + " ";
  const ta = [], tb = [];
  for (let r = 0; r < 15; r++) {
    let t0 = performance.now();
    await a.embed(text);
    ta.push(performance.now() - t0);
    t0 = performance.now();
    await b.embed(text);
    tb.push(performance.now() - t0);
  }
  console.log(`${n} tokens: 1 worker p50 ${p50(ta).toFixed(1)} ms, split x2 p50 ${p50(tb).toFixed(1)} ms, ratio ${(p50(tb) / p50(ta)).toFixed(2)}`);
}
a.dispose();
b.dispose();
