/**
 * The seeds `npm test` runs. CI never draws a random seed: a run that fails on a bug nobody
 * touched would reject everyone's work. `pnpm soak --seeds <n>` explores random seeds and prints
 * the ones that fail; each is added here with what it found, and stays as a regression seed once
 * the bug is fixed.
 */
export const SEEDS = {
  chaos: [
    { seed: 1, found: 'the everyday run' },
    {
      seed: 2288992306,
      found: 'ghost: leave() while disconnected, then a resume (fixed: emulator orders re-entries)',
    },
    { seed: 174632030, found: 'the same ghost (sdk-19)' },
    { seed: 31196363, found: 'the same ghost (sdk-7)' },
  ],
  'fuzz-frames': [{ seed: 1, found: 'the everyday run' }],
  'fuzz-http': [{ seed: 1, found: 'the everyday run' }],
} satisfies Record<string, readonly { seed: number; found: string }[]>;

export type SeededLabel = keyof typeof SEEDS;
