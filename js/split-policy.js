// When parallel: "auto" splits one text across k workers, per exchange: texts of at least
// minTokens[k] tokens (special tokens included), for the k measured; other worker counts
// are not used for a split, and an exchange with none measured faster never splits. Data,
// not code: written by `node bench/split.js --write` (see there to remeasure).
export const SPLIT_POLICY = Object.freeze({ "shared-memory": Object.freeze({ "2": 64 }), "message": Object.freeze({}) });

// What each threshold was measured from: 1 worker against the split, side by side.
export const SPLIT_MEASUREMENTS = {
  "shared-memory": [
    "the first split's measurement (docs/design.md, \"One text on every worker\"): 2 cores, load average ~5; 48 tokens 0.57× and 1.11× in two runs, 64 tokens 0.59×"
  ],
  "message": [
    "2026-12-05, 2 cores, Node 20.20.2, int8 all-MiniLM-L6-v2, load average 14.0 → 16.3",
    "message k=2 16 tokens: 1 worker p50 105.2 ms, split ×2 p50 131.9 ms, ratio 1.25",
    "message k=2 24 tokens: 1 worker p50 132.0 ms, split ×2 p50 173.2 ms, ratio 1.31",
    "message k=2 32 tokens: 1 worker p50 187.3 ms, split ×2 p50 220.6 ms, ratio 1.18",
    "message k=2 48 tokens: 1 worker p50 274.9 ms, split ×2 p50 308.1 ms, ratio 1.12",
    "message k=2 64 tokens: 1 worker p50 372.8 ms, split ×2 p50 389.3 ms, ratio 1.04",
    "message k=2 96 tokens: 1 worker p50 500.1 ms, split ×2 p50 520.4 ms, ratio 1.04",
    "message k=2 128 tokens: 1 worker p50 648.9 ms, split ×2 p50 710.6 ms, ratio 1.10"
  ]
};
