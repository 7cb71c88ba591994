import { defineConfig } from 'vitest/config';
// Node 20 lacks Map.groupBy, which Vitest's reporter uses to show a failure (run alone, too).
import '../../scripts/node20-polyfills.mjs';

// The inspector page in Debian's Chromium (playwright-core, never a downloaded browser) against
// an emulator the test starts; it needs the page built (`pnpm build`).
export default defineConfig({
  test: {
    name: 'emulator-e2e',
    environment: 'node',
    include: ['test/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
