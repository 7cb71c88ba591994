import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

import '../scripts/node20-polyfills.mjs';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Longer runs (`pnpm soak`, or these variables set by hand) get proportionally longer timeouts.
const chaosMs = Number(process.env.PRESENCEKIT_CHAOS_MS ?? 15_000);
const fuzzItems = Math.max(
  Number(process.env.PRESENCEKIT_FUZZ_FRAMES ?? 3_000),
  Number(process.env.PRESENCEKIT_FUZZ_REQUESTS ?? 2_500),
);

// The hooks are tested from source (what the hooks' own tests run), so these tests follow the
// code as it changes; the emulator runs from its build (`pnpm build`), in-process or in a child.
const alias = [
  { find: /^@presencekit\/react$/, replacement: here('../packages/react/src/index.ts') },
];

/**
 * Reliability and security (issue 8). Files run one at a time: each one loads the machine on
 * purpose (fuzzing, 30 chaotic clients, 1,000 mounts), and CI may have two cores.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'reliability',
          root: here('.'),
          environment: 'node',
          include: ['test/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000 + fuzzItems * 20,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        resolve: { alias },
        test: {
          name: 'reliability-jsdom',
          root: here('.'),
          environment: 'jsdom',
          include: ['test/**/*.test.tsx'],
          setupFiles: ['harness/jsdom-setup.ts'],
          fileParallelism: false,
          // The leak test forces GC to compare the heap with its baseline.
          execArgv: ['--expose-gc'],
          testTimeout: 180_000 + chaosMs,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
