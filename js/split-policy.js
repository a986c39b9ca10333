// When parallel: "auto" splits one text across k workers, per exchange: texts of at least
// minTokens[k] tokens (special tokens included), for the k measured; other worker counts
// are not used for a split, and an exchange with none measured faster never splits. Data,
// not code: written by `node js/bench/split.js --write` (see there to remeasure).
export const SPLIT_POLICY = Object.freeze({
  "shared-memory": Object.freeze({ 2: 64 }),
  message: Object.freeze({}),
});

// What each threshold was measured from: 1 worker against the split, side by side.
export const SPLIT_MEASUREMENTS = {
  "shared-memory": ["the first split's measurement (docs/design.md, \"One text on every worker\"): 2 cores, load average ~5; 48 tokens 0.57× and 1.11× in two runs, 64 tokens 0.59×"],
  message: ["not measured yet: no split"],
};
