import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import type { ViteUserConfig } from 'vitest/config';

// Vitest 5's reporter needs Map.groupBy, which Node 20 lacks (also loaded by the root config).
import '../../scripts/node20-polyfills.mjs';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Hooks and providers in jsdom against a real emulator (started once per project by
 * `test/emulator-setup.ts`), with the real `ably` and `@ably/chat` SDKs. One project per React
 * major: `vitest.config.ts` (19) and `vitest.react18.config.ts` (18).
 */
export function jsdomProject(react18: boolean): ViteUserConfig {
  const shared = {
    environment: 'jsdom',
    globalSetup: ['test/emulator-setup.ts'],
    testTimeout: 20_000,
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    exclude: ['**/*.browser.test.{ts,tsx}', 'test/browser/**'],
  };
  if (!react18) {
    return {
      plugins: [react()],
      test: { ...shared, name: 'react-jsdom', env: { PRESENCEKIT_EXPECT_REACT: '19' } },
    };
  }
  return {
    plugins: [react()],
    // `react18`/`react-dom18` are npm aliases of React 18. Vite's aliases cover the modules Vitest
    // transforms (ours, and the inlined ESM packages that import React); the setup file covers
    // the CommonJS ones Node loads itself.
    resolve: {
      alias: [
        { find: /^react$/, replacement: here('./node_modules/react18') },
        { find: /^react\/(.*)$/, replacement: here('./node_modules/react18/$1') },
        { find: /^react-dom$/, replacement: here('./node_modules/react-dom18') },
        { find: /^react-dom\/(.*)$/, replacement: here('./node_modules/react-dom18/$1') },
      ],
    },
    test: {
      ...shared,
      name: 'react18-jsdom',
      // Server helpers render no React: running them once is enough.
      exclude: [...shared.exclude, 'src/server/**'],
      server: { deps: { inline: ['@testing-library/react', '@ably/chat'] } },
      setupFiles: ['test/react18-resolve.ts'],
      env: {
        PRESENCEKIT_EXPECT_REACT: '18',
        PRESENCEKIT_REACT18_DIR: here('./node_modules/react18'),
        PRESENCEKIT_REACT_DOM18_DIR: here('./node_modules/react-dom18'),
      },
    },
  };
}
