import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

import { chromiumLaunchOptions } from '../../scripts/chromium.js';
import { react18Aliases, react18Node } from '../test-utils/src/vitest.js';
import { requestsContaining, watchRequests } from './test/browser/requests.js';

// Vitest 5's reporter needs Map.groupBy, which Node 20 lacks (also loaded by the root config).
import '../../scripts/node20-polyfills.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Hooks and providers in jsdom against a real emulator (started once per project by
 * `test/emulator-setup.ts`), with the real `ably` and `@ably/chat` SDKs.
 */
const jsdom = {
  environment: 'jsdom',
  globalSetup: ['test/emulator-setup.ts'],
  testTimeout: 20_000,
  include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  exclude: ['**/*.browser.test.{ts,tsx}', 'test/browser/**'],
};

/**
 * Components (and any `*.browser.test.tsx`) in real headless Chromium, under StrictMode. Live
 * tests talk to an emulator that `test/browser/global-setup.ts` starts on the Node side; the
 * browser only ever sees tokens.
 */
function browser(react18: boolean) {
  return {
    globalSetup: ['test/browser/global-setup.ts'],
    setupFiles: ['test/browser/setup.ts'],
    env: { PRESENCEKIT_EXPECT_REACT: react18 ? '18' : '19' },
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: chromiumLaunchOptions }),
      instances: [{ browser: 'chromium' as const }],
      viewport: { width: 1024, height: 768 },
      // What Chromium requested, so tests can prove an avatar was never fetched.
      commands: { watchRequests, requestsContaining },
    },
  };
}

// Listed up front: otherwise Vite discovers them mid-run and reloads the page under a test.
const optimizeDeps = {
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
};

/**
 * The package's four projects. The root config lists them as they are, so their names stay
 * `react-jsdom`, `react18-jsdom`, `react-browser` and `react18-browser` (a nested config would
 * prefix them with the package name).
 */
export const reactProjects: TestProjectInlineConfiguration[] = [
  // Hooks, providers and test helpers on React 19.
  {
    root,
    plugins: [react()],
    test: { ...jsdom, name: 'react-jsdom', env: { PRESENCEKIT_EXPECT_REACT: '19' } },
  },
  // The same on React 18 (forwardRef, useId and useSyncExternalStore must behave the same).
  {
    root,
    plugins: [react()],
    resolve: { alias: react18Aliases },
    test: {
      ...jsdom,
      name: 'react18-jsdom',
      // Server helpers render no React, and the production-build test loads its own React
      // through Node: running them once is enough.
      exclude: [...jsdom.exclude, 'src/server/**', 'test/production.test.tsx'],
      server: { deps: { inline: react18Node.inline } },
      setupFiles: [react18Node.setupFile],
      env: react18Node.env,
    },
  },
  // Every browser test in Chromium on React 19.
  {
    root,
    plugins: [react()],
    optimizeDeps,
    test: {
      ...browser(false),
      name: 'react-browser',
      include: ['src/**/*.browser.test.{ts,tsx}', 'test/browser/*.browser.test.{ts,tsx}'],
    },
  },
  // The components again on React 18.
  {
    root,
    plugins: [react()],
    optimizeDeps,
    resolve: { alias: react18Aliases },
    test: {
      ...browser(true),
      name: 'react18-browser',
      include: [
        'src/components/**/*.browser.test.{ts,tsx}',
        'src/devtools/**/*.browser.test.{ts,tsx}',
        'test/browser/*.browser.test.{ts,tsx}',
      ],
    },
  },
];

// `vitest run` in this folder runs the same projects.
export default defineConfig({ test: { projects: reactProjects } });
