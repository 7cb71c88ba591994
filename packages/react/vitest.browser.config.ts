import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

import { chromiumLaunchOptions } from '../../scripts/chromium.js';
import { requestsContaining, watchRequests } from './test/browser/requests.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** `react18`/`react-dom18` are npm aliases of React 18 in this package's devDependencies. */
const react18Aliases = [
  { find: /^react$/, replacement: here('./node_modules/react18') },
  { find: /^react\/(.*)$/, replacement: here('./node_modules/react18/$1') },
  { find: /^react-dom$/, replacement: here('./node_modules/react-dom18') },
  { find: /^react-dom\/(.*)$/, replacement: here('./node_modules/react-dom18/$1') },
];

/**
 * A browser project: components (and any `*.browser.test.tsx`) in real headless Chromium, under
 * StrictMode. Live tests talk to an emulator that `test/browser/global-setup.ts` starts on the
 * Node side; the browser only ever sees tokens.
 */
export function browserProject(options: {
  name: string;
  include: string[];
  react18?: boolean;
}): ViteUserConfig {
  return defineConfig({
    plugins: [react()],
    resolve: options.react18 ? { alias: react18Aliases } : {},
    // Listed up front: otherwise Vite discovers them mid-run and reloads the page under a test.
    optimizeDeps: {
      include: [
        'react',
        'react-dom',
        'react-dom/client',
        'react/jsx-dev-runtime',
        'ably',
        '@ably/chat',
        'vitest-browser-react',
        'axe-core',
      ],
    },
    test: {
      name: options.name,
      include: options.include,
      globalSetup: ['test/browser/global-setup.ts'],
      setupFiles: ['test/browser/setup.ts'],
      env: { PRESENCEKIT_EXPECT_REACT: options.react18 ? '18' : '19' },
      testTimeout: 20_000,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({ launchOptions: chromiumLaunchOptions }),
        instances: [{ browser: 'chromium' }],
        viewport: { width: 1024, height: 768 },
        // What Chromium requested, so tests can prove an avatar was never fetched.
        commands: { watchRequests, requestsContaining },
      },
    },
  });
}

export default browserProject({
  name: 'react-browser',
  include: ['src/**/*.browser.test.{ts,tsx}', 'test/browser/*.browser.test.{ts,tsx}'],
});
