import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import type { BrowserCommand } from 'vitest/node';
import { chromiumLaunchOptions } from '../../scripts/chromium.js';
import { browserRecord, type BrowserRecord } from './test/browser/record.js';
import { signedJwt } from './test/jwt.js';

/** Commands the browser test calls to ask the Node side what the emulator saw. */
const emulatorRecord: BrowserCommand<[]> = () => {
  const { upgrades, requests } = browserRecord();
  return { upgrades, requests };
};
const nodeSeesMembers: BrowserCommand<[]> = () => browserRecord().nodeSeesMembers();
/** A JWT with the given claims, signed on the Node side as a token route would sign it. */
const signJwt: BrowserCommand<[key: string, claims: Record<string, unknown>]> = (_, key, claims) =>
  signedJwt(key, claims);

declare module 'vitest/browser' {
  interface BrowserCommands {
    emulatorRecord: () => Promise<Pick<BrowserRecord, 'upgrades' | 'requests'>>;
    nodeSeesMembers: () => Promise<string[]>;
    signJwt: (key: string, claims: Record<string, unknown>) => Promise<string>;
  }
}

// The browser builds of `ably` and `@ably/chat` (its React hooks too) in real headless Chromium
// (Debian's, never a downloaded one) against an emulator the Node-side globalSetup starts. The flags keep Chromium from phoning
// home, which on an offline machine would only time out.
export default defineConfig({
  // Everything the tests import from node_modules, bundled up front: a dependency found later
  // reloads the page in the middle of a test.
  optimizeDeps: {
    include: ['ably', '@ably/chat', '@ably/chat/react', 'react', 'react-dom/client'],
  },
  test: {
    name: 'emulator-browser',
    include: ['test/**/*.browser.test.{ts,tsx}'],
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: chromiumLaunchOptions,
      }),
      instances: [{ browser: 'chromium' }],
      commands: { emulatorRecord, nodeSeesMembers, signJwt },
    },
  },
});
