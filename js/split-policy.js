// When parallel: "auto" splits one text across k workers, per exchange: texts of at least
// minTokens[k] tokens (special tokens included), for the k measured; other worker counts
// are not used for a split, and an exchange with none measured faster never splits. Data,
// not code: written by `node bench/split.js --write` (see there to remeasure).
export const SPLIT_POLICY = Object.freeze({ "shared-memory": Object.freeze({ "2": 16 }), "message": Object.freeze({ "2": 24 }) });

// What each threshold was measured from: 1 worker against the split, side by side.
export const SPLIT_MEASUREMENTS = {
  "shared-memory": [
    "2026-12-06, 2 cores, Node 20.20.2, int8 all-MiniLM-L6-v2, load average 0.7 → 1.1",
    "shared-memory k=2 16 tokens: 1 worker p50 10.9 ms, split ×2 p50 8.6 ms, ratio 0.78",
    "shared-memory k=2 24 tokens: 1 worker p50 14.6 ms, split ×2 p50 10.9 ms, ratio 0.75",
    "shared-memory k=2 32 tokens: 1 worker p50 19.0 ms, split ×2 p50 12.5 ms, ratio 0.66",
    "shared-memory k=2 48 tokens: 1 worker p50 26.3 ms, split ×2 p50 17.5 ms, ratio 0.67",
    "shared-memory k=2 64 tokens: 1 worker p50 34.7 ms, split ×2 p50 20.6 ms, ratio 0.59",
    "shared-memory k=2 96 tokens: 1 worker p50 53.4 ms, split ×2 p50 29.7 ms, ratio 0.56",
    "shared-memory k=2 128 tokens: 1 worker p50 75.4 ms, split ×2 p50 40.5 ms, ratio 0.54"
  ],
  "message": [
    "2026-12-06, 2 cores, Node 20.20.2, int8 all-MiniLM-L6-v2, load average 1.1 → 1.3",
    "message k=2 16 tokens: 1 worker p50 10.9 ms, split ×2 p50 11.3 ms, ratio 1.04",
    "message k=2 24 tokens: 1 worker p50 14.8 ms, split ×2 p50 11.1 ms, ratio 0.75",
    "message k=2 32 tokens: 1 worker p50 18.9 ms, split ×2 p50 13.5 ms, ratio 0.72",
    "message k=2 48 tokens: 1 worker p50 24.9 ms, split ×2 p50 17.6 ms, ratio 0.70",
    "message k=2 64 tokens: 1 worker p50 33.2 ms, split ×2 p50 22.2 ms, ratio 0.67",
    "message k=2 96 tokens: 1 worker p50 54.2 ms, split ×2 p50 32.3 ms, ratio 0.60",
    "message k=2 128 tokens: 1 worker p50 78.3 ms, split ×2 p50 45.2 ms, ratio 0.58"
  ]
};
