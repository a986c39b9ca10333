// rng.js: the seeded PRNG of the benchmark, so corpora and sample choices are the
// same on every machine and run.

/** mulberry32 returns a function giving uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** pick returns a uniformly chosen element of xs. */
export function pick(r, xs) {
  return xs[Math.floor(r() * xs.length)];
}
