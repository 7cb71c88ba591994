import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Debian's Chromium, never a downloaded one. The flags keep a headless run from phoning home
 * (component updates, sync, first-run pings), which the offline machine would only time out on.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ],
};

// Components and hooks in real headless Chromium. Live tests talk to an emulator that
// `test/browser/global-setup.ts` starts on the Node side; the browser only ever sees tokens.
export default defineConfig({
  plugins: [react()],
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
    name: 'react-browser',
    include: ['src/**/*.browser.test.{ts,tsx}'],
    globalSetup: ['test/browser/global-setup.ts'],
    setupFiles: ['test/browser/setup.ts'],
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: chromiumLaunchOptions }),
      instances: [{ browser: 'chromium' }],
      viewport: { width: 1024, height: 768 },
    },
  },
});
