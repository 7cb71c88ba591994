/**
 * A seeded PRNG (mulberry32): tiny, fast and good enough to drive tests. The same seed always
 * gives the same sequence of floats in [0, 1), so a generated room, stream or chaos timeline can
 * be replayed from its seed.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
