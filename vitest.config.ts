import { defineConfig } from 'vitest/config';

import { reactProjects } from './packages/react/vitest.config';
import { reliabilityProjects } from './reliability/vitest.config';
import './scripts/node20-polyfills.mjs';

// One `vitest run` at the root runs every package's projects (node, jsdom and real Chromium).
// Configs that declare several projects are spread here, so each keeps its own name
// (`react-jsdom`, `reliability-react18`, ...) for `--project`.
export default defineConfig({
  test: {
    projects: [
      ...reactProjects,
      'packages/ably-emulator/vitest*.config.ts',
      'vitest.storybook.config.ts',
      'bench/vitest.config.ts',
      ...reliabilityProjects,
      'examples/vitest.e2e.config.ts',
      {
        test: {
          name: 'docs',
          root: './scripts',
          include: ['readme-snippets.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          // The release dry run: packs, installs with npm outside the workspace, builds apps.
          name: 'release',
          root: './scripts',
          include: ['release-dry-run.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
