import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vitest settings that run a project again on React 18. `react18` and `react-dom18` are npm
 * aliases of React 18 in this package's dependencies, so every package's React 18 project uses
 * the same copy, and this table is written once.
 */

const require = createRequire(import.meta.url);

/** Where React 18 and React DOM 18 are installed. */
export const react18Dir = dirname(require.resolve('react18/package.json'));
export const reactDom18Dir = dirname(require.resolve('react-dom18/package.json'));

/** Vite aliases sending `react`, `react-dom` and their subpaths to React 18. */
export const react18Aliases = [
  { find: /^react$/, replacement: react18Dir },
  { find: /^react\/(.*)$/, replacement: `${react18Dir}/$1` },
  { find: /^react-dom$/, replacement: reactDom18Dir },
  { find: /^react-dom\/(.*)$/, replacement: `${reactDom18Dir}/$1` },
];

/**
 * What a jsdom (Node) project needs on top of {@link react18Aliases}. Vite's aliases cover the
 * modules Vitest transforms (ours, and the inlined ESM packages that import React); the setup
 * file covers the CommonJS ones Node loads itself with `require()` (react-dom@18, Testing
 * Library), which would otherwise get the workspace's React 19.
 */
export const react18Node = {
  setupFile: fileURLToPath(new URL('./react18-resolve.ts', import.meta.url)),
  inline: ['@testing-library/react', '@ably/chat'],
  env: {
    PRESENCEKIT_EXPECT_REACT: '18',
    PRESENCEKIT_REACT18_DIR: react18Dir,
    PRESENCEKIT_REACT_DOM18_DIR: reactDom18Dir,
  },
};
