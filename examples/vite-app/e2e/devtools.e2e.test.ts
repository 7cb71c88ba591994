import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { type Emulator, startEmulator } from '@presencekit/ably-emulator';
import type * as Ably from 'ably';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  freePort,
  launchChromium,
  repoRoot,
  requireBuilt,
  saveScreenshot,
  seedPresence,
  type ServerProcess,
  startServer,
  watchConsole,
} from '../../e2e/harness';

/**
 * `<PresenceKitDevtools>` in the demo, behind `?devtools`: shown by the development server
 * (`vite`), absent from the production build. Also makes the README's screenshot of the panel.
 */

const appDir = join(repoRoot, 'examples', 'vite-app');
const viteBin = join(
  dirname(createRequire(join(appDir, 'package.json')).resolve('vite/package.json')),
  'bin',
  'vite.js',
);

let emulator: Emulator;
let seeder: Ably.Realtime;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  requireBuilt(join(appDir, 'dist', 'index.html'), 'examples/vite-app');
  emulator = await startEmulator({ leaveGraceMs: 300 });
  seeder = await seedPresence(emulator.clientOptions(), {
    lobby: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
  });
  const port = await freePort();
  server = await startServer({
    command: process.execPath,
    args: [viteBin, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    cwd: appDir,
    url: `http://127.0.0.1:${port}/`,
    env: { ABLY_API_KEY: emulator.key, ABLY_ENDPOINT: emulator.url, ABLY_TOKEN_URL: '' },
    // The development server optimises the dependencies on its first request.
    readyTimeoutMs: 60_000,
  });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  seeder?.close();
  await emulator?.stop();
});

describe('examples/vite-app with ?devtools', () => {
  test('the development server shows the panel: the lobby, its members and its hooks', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(new URL('/?devtools#lobby', server.url).href);

    const toggle = page.getByRole('button', { name: /^PresenceKit/ });
    await toggle.click({ timeout: 30_000 });
    const lobby = page.locator('.pkdt-room[data-room="lobby"]');
    await expect
      .poll(() => lobby.locator('.pkdt-badge').innerText(), { timeout: 15_000 })
      .toBe('attached');
    await expect.poll(() => lobby.innerText(), { timeout: 10_000 }).toContain('seed-lobby-2');
    const hooks = await lobby
      .locator('tr[data-hook]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-hook')));
    expect(hooks).toEqual(expect.arrayContaining(['useOccupancy()', 'usePresenceMembers()']));

    // Someone joins in another tab: the panel's event list shows it.
    const other = await browser.newContext();
    const pageB = await other.newPage();
    await pageB.goto(new URL('/#lobby', server.url).href);
    await pageB.getByLabel('Your name').fill('Katherine Johnson', { timeout: 30_000 });
    await pageB.getByRole('button', { name: 'Join the room' }).click();
    await expect
      .poll(() => lobby.locator('.pkdt-events').innerText(), { timeout: 10_000 })
      .toContain('Katherine Johnson');

    await saveScreenshot(page, 'devtools');
    expect(problems.problems()).toEqual([]);
    await other.close();
    await context.close();
  });

  test('the production build carries none of the panel', () => {
    const assets = join(appDir, 'dist', 'assets');
    const code = readdirSync(assets)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(assets, file), 'utf8'))
      .join('');
    expect(code).toContain('devtools'); // the `?devtools` toggle itself stays
    expect(code).not.toContain('pkdt');
    expect(code).not.toContain('PresenceKit devtools');
  });
});
