import { seededRandom } from '@presencekit/test-utils';

import { SEEDS, type SeededLabel } from './seeds';

/**
 * Seeded randomness for every reliability run. A failing run prints its seed; setting
 * `PRESENCEKIT_SEED` to it replays the same choices (the same frames, the same chaos timeline).
 */

/** A seeded PRNG with the helpers the fuzzers and the chaos run need. */
export interface Rng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** One key of a weight table, chosen in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** `n` random bytes. */
  bytes(n: number): Buffer;
  /** A random string of `n` characters drawn from `alphabet`. */
  string(n: number, alphabet?: string): string;
}

const DEFAULT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.';

/** The workspace's seeded PRNG (`seededRandom`, mulberry32) with the helpers on top. */
export function createRng(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    seed: seed >>> 0,
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('rng.pick: empty array');
      return items[int(0, items.length - 1)]!;
    },
    weighted: (weights) => {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [key, w] of entries) {
        r -= w;
        if (r < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
    bytes: (n) => {
      const out = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) out[i] = int(0, 255);
      return out;
    },
    string: (n, alphabet = DEFAULT_ALPHABET) => {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[int(0, alphabet.length - 1)];
      return s;
    },
  };
}

/** What a seeded test runs with: the seed, and its generator. */
export interface SeededRun {
  readonly seed: number;
  readonly rng: Rng;
}

/**
 * The seeds a seeded test runs, each printed with the command that replays it:
 * - `PRESENCEKIT_SEED=<n>` replays one seed (a failure seen in a log);
 * - `PRESENCEKIT_RANDOM_SEEDS=<n>` explores `n` fresh random seeds (`pnpm soak`);
 * - otherwise the label's fixed list from `seeds.ts`, so `npm test` is the same every time.
 */
export function seedsFor(label: SeededLabel): number[] {
  const fromEnv = process.env.PRESENCEKIT_SEED;
  if (fromEnv !== undefined && fromEnv !== '') return [Number(fromEnv) >>> 0];
  const random = Number(process.env.PRESENCEKIT_RANDOM_SEEDS ?? 0);
  if (random > 0) {
    return Array.from({ length: random }, () => Math.floor(Math.random() * 2 ** 32) >>> 0);
  }
  return SEEDS[label].map((entry) => entry.seed);
}

/** A generator for one of {@link seedsFor}'s seeds, announced in the log. */
export function seeded(label: SeededLabel, seed: number): SeededRun {
  console.log(`[${label}] seed=${seed} (replay: PRESENCEKIT_SEED=${seed})`);
  return { seed, rng: createRng(seed) };
}
