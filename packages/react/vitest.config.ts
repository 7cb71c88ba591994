import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Vitest 5's reporter calls Map.groupBy (Node 21+) when it prints failures; on Node 20 it crashes
// instead of showing the failure.
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value: <K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> => {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Hooks and providers in jsdom against a real emulator (started once per project by
 * `test/emulator-setup.ts`), with the real `ably` and `@ably/chat` SDKs, on React 19 and 18.
 */
const shared = {
  environment: 'jsdom',
  globalSetup: ['test/emulator-setup.ts'],
  testTimeout: 20_000,
  include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  exclude: ['**/*.browser.test.{ts,tsx}', 'test/browser/**'],
};

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [react()],
        test: { ...shared, name: 'react-jsdom', env: { PRESENCEKIT_EXPECT_REACT: '19' } },
      },
      {
        plugins: [react()],
        // `react18`/`react-dom18` are npm aliases of React 18. Vite's aliases cover the modules
        // Vitest transforms (ours, and the inlined ESM packages that import React); the setup
        // file covers the CommonJS ones Node loads itself.
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
      },
    ],
  },
});
