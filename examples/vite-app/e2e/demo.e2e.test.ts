import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  joinDemoRoom,
  launchChromium,
  numberIn,
  repoRoot,
  requireBuilt,
  startProcess,
  type TestProcess,
  watchConsole,
} from '../../e2e/harness';

// `npm start` ends in `node scripts/demo.mjs`: the built app and an emulator with simulated
// visitors in one process, the URL printed, and Ctrl-C stopping both. One demo serves the first
// describe's tests; its last test stops it with Ctrl-C.

let demo: TestProcess;
let url: string;
let browser: Browser;

/** Where the demo's emulator answers (its `/time` route), from the demo's `/api/config`. */
async function emulatorTimeUrl(): Promise<string> {
  const config = (await (await fetch(new URL('/api/config', url))).json()) as {
    backend: string;
    endpoint: { endpoint: string; port: number };
  };
  expect(config.backend).toBe('emulator');
  return `http://${config.endpoint.endpoint}:${config.endpoint.port}/time`;
}

describe('the demo script (npm start)', () => {
  beforeAll(async () => {
    requireBuilt(join(repoRoot, 'examples', 'vite-app', 'dist', 'index.html'), 'examples/vite-app');
    demo = startProcess({
      command: process.execPath,
      args: [join(repoRoot, 'scripts', 'demo.mjs')],
      cwd: repoRoot,
      env: { PORT: '0', ABLY_API_KEY: '', ABLY_TOKEN_URL: '' },
    });
    [, url = ''] = await demo.waitForOutput(/PresenceKit demo: (http:\/\/127\.0\.0\.1:\d+\/)/);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('serves the app with simulated visitors and prints the URL', async () => {
    expect(demo.output()).toMatch(/Ctrl-C stops everything/);
    expect((await fetch(await emulatorTimeUrl())).status).toBe(200);

    // The page shows the simulated lobby: about a dozen visitors, and a list of them.
    const page = await browser.newPage();
    const browserConsole = watchConsole(page);
    await page.goto(url);
    await expect
      .poll(
        async () => numberIn(await page.getByTestId('viewer-count').getAttribute('aria-label')),
        { timeout: 15_000 },
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
    await page.close();
  }, 60_000);

  test('chat: a message sent in one browser appears in another, then its edit and delete, amid the simulated visitors', async () => {
    // Two visitors in the simulated lobby, each in their own browser context (own token, own
    // client id). The simulated visitors keep chatting, so messages are found by text, not place.
    const [a, b] = await Promise.all([
      joinDemoRoom(browser, url, 'Katherine Johnson'),
      joinDemoRoom(browser, url, 'Dorothy Vaughan'),
    ]);
    const row = (page: Page, text: string) =>
      page.getByTestId('chat-log').locator('li', { hasText: text });
    const deletedRows = (page: Page) =>
      page.getByTestId('chat-log').locator('li[data-action="message.delete"]');

    await a.page.getByRole('textbox', { name: 'Message', exact: true }).fill('Hello from Houston');
    await a.page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => row(b.page, 'Hello from Houston').count(), { timeout: 5000 }).toBe(1);
    expect(await row(b.page, 'Hello from Houston').innerText()).toContain('Katherine Johnson');

    // Only the sender's own row offers Edit and Delete.
    const mine = a.page.getByTestId('chat-log').locator('li[data-mine]');
    await expect.poll(() => mine.count(), { timeout: 5000 }).toBe(1);
    expect(
      await row(b.page, 'Hello from Houston').getByRole('button', { name: 'Edit' }).count(),
    ).toBe(0);

    await mine.getByRole('button', { name: 'Edit' }).click();
    await a.page.getByLabel('Edited message').fill('Go for launch');
    await a.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row(b.page, 'Go for launch').count(), { timeout: 5000 }).toBe(1);
    expect(await row(b.page, 'Go for launch').innerText()).toContain('(edited)');
    expect(await row(b.page, 'Hello from Houston').count()).toBe(0);

    expect(await deletedRows(b.page).count()).toBe(0);
    await mine.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => deletedRows(b.page).count(), { timeout: 5000 }).toBe(1);
    expect(await row(b.page, 'Go for launch').count()).toBe(0);

    // Opened afterwards, the page reads the same story from the history: deleted, not gone.
    await b.page.reload();
    await expect.poll(() => deletedRows(b.page).count(), { timeout: 10_000 }).toBe(1);
    expect(await row(b.page, 'Go for launch').count()).toBe(0);

    expect(a.problems()).toEqual([]);
    expect(b.problems()).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 60_000);

  // Last: it stops the demo the tests above share.
  test('Ctrl-C stops app and emulator, and the process exits cleanly', async () => {
    const emulatorUrl = await emulatorTimeUrl();
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    await expect(fetch(emulatorUrl)).rejects.toThrow();
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('the demo script (npm start) with a bad PORT', () => {
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
