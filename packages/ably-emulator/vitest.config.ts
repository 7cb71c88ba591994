import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'emulator',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts'],
    testTimeout: 20_000,
  },
});
