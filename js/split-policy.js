// When parallel: "auto" splits one text across k workers: texts of at least
// minTokens[k] tokens (special tokens included), for the k measured; other worker counts are
// not used for a split. Data, not code: written by `node js/bench/split.js --write` (see
// there to remeasure). Until remeasured: the 2-worker threshold of the first split's
// measurement (docs/design.md, "One text on every worker"; 2 cores, load average ~5).
export const SPLIT_POLICY = Object.freeze({ minTokens: Object.freeze({ 2: 64 }) });
