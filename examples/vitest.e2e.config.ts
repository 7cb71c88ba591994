import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';
// For `vitest run --config examples/vitest.e2e.config.ts` on its own (the root config loads it too).
import '../scripts/node20-polyfills.mjs';

// End-to-end tests of the examples: real servers (vite preview, next start) against the emulator,
// driven by Debian's Chromium through playwright-core. They need the examples built (`pnpm build`).
export default defineConfig({
  test: {
    name: 'e2e',
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'node',
    include: ['*/e2e/**/*.e2e.test.ts', 'e2e/**/*.e2e.test.ts'],
    // One at a time: each starts a server and a browser, and the machine may have two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
