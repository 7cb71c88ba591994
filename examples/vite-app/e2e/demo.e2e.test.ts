import { join } from 'node:path';

import { afterAll, describe, expect, test } from 'vitest';

import {
  launchChromium,
  numberIn,
  repoRoot,
  requireBuilt,
  startProcess,
  type TestProcess,
  watchConsole,
} from '../../e2e/harness';

// `npm start` ends in `node scripts/demo.mjs`: the built app and an emulator with simulated
// visitors in one process, the URL printed, and Ctrl-C stopping both.

let demo: TestProcess | undefined;

afterAll(async () => {
  await demo?.stop();
});

describe('the demo script (npm start)', () => {
  test('serves the app with simulated visitors, prints the URL, and Ctrl-C stops app and emulator', async () => {
    requireBuilt(join(repoRoot, 'examples', 'vite-app', 'dist', 'index.html'), 'examples/vite-app');
    const env: Record<string, string> = { PORT: '0', ABLY_API_KEY: '', ABLY_TOKEN_URL: '' };
    demo = startProcess({
      command: process.execPath,
      args: [join(repoRoot, 'scripts', 'demo.mjs')],
      cwd: repoRoot,
      env,
    });
    const [, url] = await demo.waitForOutput(/PresenceKit demo: (http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(demo.output()).toMatch(/Ctrl-C stops everything/);

    const config = (await (await fetch(new URL('/api/config', url))).json()) as {
      backend: string;
      endpoint: { endpoint: string; port: number };
    };
    expect(config.backend).toBe('emulator');
    const emulatorUrl = `http://${config.endpoint.endpoint}:${config.endpoint.port}/time`;
    expect((await fetch(emulatorUrl)).status).toBe(200);

    // The page shows the simulated lobby: about a dozen visitors, and a list of them.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const browserConsole = watchConsole(page);
      await page.goto(url!);
      await expect
        .poll(
          async () => numberIn(await page.getByTestId('viewer-count').getAttribute('aria-label')),
          {
            timeout: 15_000,
          },
        )
        .toBeGreaterThanOrEqual(5);
      await expect
        .poll(() => page.getByTestId('member-list').locator('[data-status]').count(), {
          timeout: 15_000,
        })
        .toBeGreaterThanOrEqual(5);
      // The simulated visitors' avatars come from the emulator on loopback, which the demo
      // allows (only its /avatars/ route): some are images, not initials.
      await expect
        .poll(() => page.getByTestId('member-list').locator('img[src*="/avatars/"]').count(), {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
      // The room is alive on first open: the simulated visitors' messages are already there.
      await expect
        .poll(() => page.getByTestId('chat-log').locator('li').count(), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(3);
      expect(browserConsole.problems()).toEqual([]);
    } finally {
      await browser.close();
    }

    // Ctrl-C: both servers go away and the process exits cleanly.
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    await expect(fetch(emulatorUrl)).rejects.toThrow();
    await expect(fetch(url!)).rejects.toThrow();
  }, 60_000);

  test.each([
    ['4190', /Port 4190 is one browsers refuse to open .*PORT=5000/s],
    ['6000', /Port 6000 is one browsers refuse to open/],
    ['http', /PORT must be a port number from 0 to 65535 \(got "http"\)/],
    ['70000', /PORT must be a port number from 0 to 65535 \(got "70000"\)/],
  ])(
    'PORT=%s stops with one sentence that says what to do, no stack trace',
    async (port, message) => {
      const run = startProcess({
        command: process.execPath,
        args: [join(repoRoot, 'scripts', 'demo.mjs')],
        cwd: repoRoot,
        env: { PORT: port, ABLY_API_KEY: '', ABLY_TOKEN_URL: '' },
      });
      try {
        expect(await run.exited).toBe(1);
        expect(run.output()).toMatch(message);
        expect(run.output()).not.toMatch(/\n\s+at /);
      } finally {
        await run.stop();
      }
    },
  );
});
