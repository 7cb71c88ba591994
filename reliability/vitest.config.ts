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

const jsdom = {
  root: here('.'),
  environment: 'jsdom' as const,
  fileParallelism: false,
  // The leak test forces GC to compare the heap with its baseline.
  execArgv: ['--expose-gc'],
  testTimeout: 180_000 + chaosMs,
  hookTimeout: 60_000,
};

const react18 = here('./node_modules/react18');
const reactDom18 = here('./node_modules/react-dom18');

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
          ...jsdom,
          name: 'reliability-jsdom',
          include: ['test/**/*.test.tsx'],
          setupFiles: ['harness/jsdom-setup.ts'],
          env: { PRESENCEKIT_EXPECT_REACT: '19' },
        },
      },
      {
        // The React-facing tests again on React 18 (npm aliases `react18`/`react-dom18`), as the
        // hooks' own React 18 project does; the chaos run stays on 19 (it is the long one).
        plugins: [react()],
        resolve: {
          alias: [
            ...alias,
            { find: /^react$/, replacement: react18 },
            { find: /^react\/(.*)$/, replacement: `${react18}/$1` },
            { find: /^react-dom$/, replacement: reactDom18 },
            { find: /^react-dom\/(.*)$/, replacement: `${reactDom18}/$1` },
          ],
        },
        test: {
          ...jsdom,
          name: 'reliability-react18',
          include: ['test/**/*.test.tsx'],
          exclude: ['test/chaos.test.tsx'],
          // CommonJS packages Node loads itself (react-dom@18, Testing Library) need the same
          // redirection; the hooks' package has the shim for it.
          setupFiles: ['../packages/react/test/react18-resolve.ts', 'harness/jsdom-setup.ts'],
          server: { deps: { inline: ['@testing-library/react', '@ably/chat'] } },
          env: {
            PRESENCEKIT_EXPECT_REACT: '18',
            PRESENCEKIT_REACT18_DIR: react18,
            PRESENCEKIT_REACT_DOM18_DIR: reactDom18,
          },
        },
      },
    ],
  },
});
