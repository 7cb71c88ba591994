import { defineConfig } from 'vitest/config';
// Node 20 lacks Map.groupBy, which Vitest's reporter uses to show a failure (run alone, too).
import '../../scripts/node20-polyfills.mjs';

export default defineConfig({
  test: {
    name: 'emulator',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts', 'test/**/*.e2e.test.ts'],
    testTimeout: 20_000,
  },
});
