import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

import { chromiumLaunchOptions } from './scripts/chromium.ts';

const dirname = path.dirname(fileURLToPath(import.meta.url));

// Every story becomes a test in headless Chromium: it must render, pass its `play` function and
// have no accessibility violations (`a11y.test: 'error'` in .storybook/preview.tsx). Live stories
// talk to the emulator that .storybook/emulator-plugin.ts starts with the test server.
export default defineConfig({
  plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
  test: {
    name: 'storybook',
    testTimeout: 30_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: chromiumLaunchOptions }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
