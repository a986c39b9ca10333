// Measures when splitting one text across k workers pays (js/parallel.js): for each worker
// count k and token count n, one text of n tokens on 1 worker of a k-worker pool against the
// same text split across all k (parallel: "always"), alternated call by call, p50 of --reps.
//
//   node bench/split.js [--workers 2] [--tokens 16,24,32,48,64,96,128] [--reps 21]
//                          [--exchange shared-memory|message] [--write]
//
// --exchange message sets crossOriginIsolated = false, so the parts exchange rows by
// MessageChannel as on a page that is not crossOriginIsolated. The threshold for k is the
// shortest n from which every longer n measured is split faster (ratio < 1). --write stores
// the thresholds of that exchange in js/split-policy.js, which parallel: "auto" follows;
// remeasure on the machine class you care about, k up to its core count (more workers than
// cores measures the OS scheduler, not the split).
import { availableParallelism, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { load } from "../js/index.js";
import { SPLIT_MEASUREMENTS, SPLIT_POLICY } from "../js/split-policy.js";

const { values: a } = parseArgs({
  options: {
    workers: { type: "string", default: "2" },
    tokens: { type: "string", default: "16,24,32,48,64,96,128" },
    reps: { type: "string", default: "21" },
    exchange: { type: "string", default: "shared-memory" },
    write: { type: "boolean", default: false },
  },
});
const list = (s) => s.split(",").map(Number);
if (a.exchange === "message") globalThis.crossOriginIsolated = false;
const model = new URL("../dist/models/all-MiniLM-L6-v2.int8.wbm", import.meta.url);
const words = "the quick brown fox jumps over lazy dogs while search boxes wait for answers".split(" ");
const p50 = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];

async function time(m, text) {
  const t0 = performance.now();
  await m.embed(text);
  return performance.now() - t0;
}

const minTokens = {};
const rows = [];
const load0 = loadavg()[0];
for (const k of list(a.workers)) {
  const one = await load({ model, workers: k });
  const split = await load({ model, workers: k, parallel: "always" });
  if (split.info().parallel !== a.exchange) throw new Error(`split runs on ${split.info().parallel}, not ${a.exchange}`);
  const ratios = [];
  for (const n of list(a.tokens)) {
    let text = "";
    for (let i = 0; (await one.tokenize(text)).ids.length < n; i++) text += words[i % words.length] + " ";
    await time(one, text);
    await time(split, text);
    const t1 = [];
    const tk = [];
    for (let r = 0; r < Number(a.reps); r++) {
      t1.push(await time(one, text));
      tk.push(await time(split, text));
    }
    const ratio = p50(tk) / p50(t1);
    ratios.push([n, ratio]);
    rows.push(`${a.exchange} k=${k} ${n} tokens: 1 worker p50 ${p50(t1).toFixed(1)} ms, split ×${k} p50 ${p50(tk).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
    console.log(rows.at(-1));
  }
  one.dispose();
  split.dispose();
  // The shortest n from which the split wins at every longer n measured.
  let threshold = null;
  for (let i = ratios.length - 1; i >= 0 && ratios[i][1] < 1; i--) threshold = ratios[i][0];
  if (threshold !== null) minTokens[k] = threshold;
}
const load1 = loadavg()[0];
console.log(`thresholds ${JSON.stringify(minTokens)}; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on ${availableParallelism()} cores`);

// frozen spells a policy as the nested Object.freeze literal js/split-policy.js exports.
function frozen(o) {
  const entries = Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}: ${typeof v === "object" ? frozen(v) : v}`);
  return `Object.freeze({${entries.length ? ` ${entries.join(", ")} ` : ""}})`;
}

if (a.write) {
  const when = new Date().toISOString().slice(0, 10);
  const policy = { ...SPLIT_POLICY, [a.exchange]: minTokens };
  const measured = {
    ...SPLIT_MEASUREMENTS,
    [a.exchange]: [`${when}, ${availableParallelism()} cores, Node ${process.versions.node}, int8 all-MiniLM-L6-v2, load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`, ...rows],
  };
  const src = `// When parallel: "auto" splits one text across k workers, per exchange: texts of at least
// minTokens[k] tokens (special tokens included), for the k measured; other worker counts
// are not used for a split, and an exchange with none measured faster never splits. Data,
// not code: written by \`node bench/split.js --write\` (see there to remeasure).
export const SPLIT_POLICY = ${frozen(policy)};

// What each threshold was measured from: 1 worker against the split, side by side.
export const SPLIT_MEASUREMENTS = ${JSON.stringify(measured, null, 2)};
`;
  writeFileSync(new URL("../js/split-policy.js", import.meta.url), src);
}
