import { defineConfig } from 'vitest/config';

// The harness's smoke test: `pnpm bench --quick` must keep producing a well-formed report.
export default defineConfig({
  test: {
    name: 'bench',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
