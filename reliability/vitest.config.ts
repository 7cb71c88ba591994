import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

import { react18Aliases, react18Node } from '../packages/test-utils/src/vitest.js';
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

/**
 * Reliability and security (issue 8). Files run one at a time: each one loads the machine on
 * purpose (fuzzing, 30 chaotic clients, 1,000 mounts), and CI may have two cores.
 */
export const reliabilityProjects: TestProjectInlineConfiguration[] = [
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
    // The React-facing tests again on React 18 (the table in test-utils), as the hooks' own
    // React 18 project does; the chaos run stays on 19 (it is the long one).
    plugins: [react()],
    resolve: { alias: [...alias, ...react18Aliases] },
    test: {
      ...jsdom,
      name: 'reliability-react18',
      include: ['test/**/*.test.tsx'],
      exclude: ['test/chaos.test.tsx'],
      setupFiles: [react18Node.setupFile, 'harness/jsdom-setup.ts'],
      server: { deps: { inline: react18Node.inline } },
      env: react18Node.env,
    },
  },
];

// `vitest run` in this folder runs the same projects; the root config lists them as they are,
// so their names stay unprefixed.
export default defineConfig({ test: { projects: reliabilityProjects } });
