import { randomBytes } from 'node:crypto';

/**
 * A random URL-safe id (`[A-Za-z0-9_-]`). Never contains `:` or `.`, so it is safe as a
 * connectionId (presence ids are split on `:`), a key secret, a token or a SYNC id.
 */
export function randomId(bytes = 9): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A seeded PRNG (mulberry32) returning numbers in [0, 1): the same seed gives the same sequence
 * (simulated visitors' names and timeline, network latency jitter).
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
