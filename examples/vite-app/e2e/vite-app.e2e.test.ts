import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { type Emulator, startEmulator } from '@presencekit/ably-emulator';
import { readClientId } from '@presencekit/react/server';
import * as Ably from 'ably';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  freePort,
  joinDemoRoom,
  saveScreenshot,
  launchChromium,
  memberData,
  numberIn,
  recordResponses,
  repoRoot,
  requireBuilt,
  seedPresence,
  type ServerProcess,
  startServer,
  watchConsole,
} from '../../e2e/harness';

const appDir = join(repoRoot, 'examples', 'vite-app');
const viteBin = join(
  dirname(createRequire(join(appDir, 'package.json')).resolve('vite/package.json')),
  'bin',
  'vite.js',
);

const SEEDED = {
  lobby: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'],
  stage: ['Donald Knuth', 'Frances Allen'],
};

let emulator: Emulator;
let seeder: Ably.Realtime;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  requireBuilt(join(appDir, 'dist', 'index.html'), 'examples/vite-app');
  emulator = await startEmulator({ leaveGraceMs: 300 });
  // People already in the rooms, entered by a real client the way a server-side bot would.
  seeder = await seedPresence(emulator.clientOptions(), SEEDED);
  const port = await freePort();
  server = await startServer({
    command: process.execPath,
    args: [viteBin, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    cwd: appDir,
    url: `http://127.0.0.1:${port}/`,
    env: { ABLY_API_KEY: emulator.key, ABLY_ENDPOINT: emulator.url, ABLY_TOKEN_URL: '' },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  seeder?.close();
  await emulator?.stop();
});

/** The exact number in the viewer count's accessible name ("7 watching" → 7). */
async function viewerCount(page: Page): Promise<number | undefined> {
  return numberIn(await page.getByTestId('viewer-count').getAttribute('aria-label'));
}

async function memberListText(page: Page): Promise<string> {
  return page.getByTestId('member-list').innerText();
}

describe('examples/vite-app against the emulator', () => {
  test('count, list and room occupancy match the emulator; a second visitor appears within a second', async ({
    annotate,
  }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const consoleA = watchConsole(page);
    const responses = recordResponses(page, server.url.replace(/\/$/, ''));
    await page.goto(server.url);

    // The count is the emulator's: the seeded members' connection plus this tab.
    await expect
      .poll(() => emulator.channel('lobby::$chat').metrics.connections, { timeout: 10_000 })
      .toBe(2);
    await expect.poll(() => viewerCount(page), { timeout: 10_000 }).toBe(2);

    // Every member the emulator holds is listed, and nobody else.
    const lobbyNames = emulator
      .channel('lobby::$chat')
      .members.map((m) => (memberData(m) as { name: string }).name);
    expect(lobbyNames.sort()).toEqual([...SEEDED.lobby].sort());
    await expect.poll(() => memberListText(page), { timeout: 10_000 }).toContain(lobbyNames[0]);
    const listText = await memberListText(page);
    for (const name of lobbyNames) expect(listText).toContain(name);
    for (const name of SEEDED.stage) expect(listText).not.toContain(name);

    // The room switcher shows every room's occupancy from REST, without attaching to them.
    const stageButton = page.locator('button[data-room="stage"]');
    await expect
      .poll(() => stageButton.innerText(), { timeout: 10_000 })
      .toContain(String(emulator.channel('stage::$chat').metrics.connections));

    // A second visitor (another browser context: other cookies, other tab) joins the lobby.
    const contextB = await browser.newContext();
    const pageB = await contextB.newPage();
    const consoleB = watchConsole(pageB);
    await pageB.goto(server.url);
    await expect.poll(() => viewerCount(pageB), { timeout: 10_000 }).toBe(3);
    await pageB.getByLabel('Your name').fill('Katherine Johnson');
    await pageB.getByLabel('Status').selectOption('busy');
    const clickedAt = Date.now();
    await pageB.getByRole('button', { name: 'Join the room' }).click();
    await expect
      .poll(() => memberListText(page), { timeout: 1000, interval: 20 })
      .toContain('Katherine Johnson');
    const seenAfterMs = Date.now() - clickedAt;
    expect(seenAfterMs).toBeLessThan(1000);
    await annotate(`second visitor seen by the first tab ${seenAfterMs} ms after the click`);
    // The emulator agrees, with the data the form sent.
    const joined = emulator
      .channel('lobby::$chat')
      .members.find(
        (m) => (memberData(m) as { name?: string } | undefined)?.name === 'Katherine Johnson',
      );
    expect(joined && memberData(joined)).toEqual({ name: 'Katherine Johnson', status: 'busy' });
    // As "<visitor's client id>.<tab>": the first part derived from the visitor's secret cookie,
    // which appears nowhere in presence.
    const cookie = (await contextB.cookies()).find((c) => c.name === 'presencekit_visitor');
    expect(cookie?.httpOnly).toBe(true);
    const visitorClientId = await readClientId(`presencekit_visitor=${cookie?.value}`, {
      key: emulator.key,
    });
    const [idPart, tab] = (joined?.clientId ?? '').split('.');
    expect(idPart).toBe(visitorClientId);
    expect(tab).toMatch(/^[a-z0-9]{1,12}$/);
    for (const member of emulator.channel('lobby::$chat').members) {
      expect(JSON.stringify([member.clientId, memberData(member)])).not.toContain(cookie?.value);
    }
    // What anyone in the room sees is no way in: a token request made with Katherine's client
    // id, or its first part, as the cookie and her tab is for someone else.
    for (const forged of [joined?.clientId, idPart]) {
      const response = await fetch(new URL(`/api/ably-token?tab=${tab}`, server.url), {
        headers: { cookie: `presencekit_visitor=${forged}` },
      });
      const { clientId } = (await response.json()) as Ably.TokenRequest;
      expect(clientId).toMatch(new RegExp(`^[A-Za-z0-9_-]{22}\\.${tab}$`));
      expect(clientId).not.toBe(joined?.clientId);
    }
    await expect.poll(() => viewerCount(page), { timeout: 5000 }).toBe(3);

    // The timeline shows the join.
    await expect
      .poll(() => page.locator('.demo-timeline').innerText(), { timeout: 5000 })
      .toContain('Katherine Johnson');

    // The room switcher (polled REST) catches up with the join too.
    await expect
      .poll(() => page.locator('button[data-room="lobby"]').innerText(), { timeout: 10_000 })
      .toContain(String(emulator.channel('lobby::$chat').metrics.connections));

    await saveScreenshot(page, 'example-vite-app');

    // Leaving removes them from the first tab's list (after the list's short "left" grace).
    await pageB.getByRole('button', { name: 'Leave' }).click();
    await expect
      .poll(() => memberListText(page), { timeout: 10_000 })
      .not.toContain('Katherine Johnson');

    // Switching rooms shows the other room's members.
    await stageButton.click();
    await expect.poll(() => memberListText(page), { timeout: 10_000 }).toContain('Donald Knuth');
    await expect
      .poll(() => viewerCount(page), { timeout: 10_000 })
      .toBe(emulator.channel('stage::$chat').metrics.connections);

    // No secret ever reached a browser, and nothing went red in the console.
    const secret = emulator.key.split(':')[1]!;
    for (const body of await responses.bodies()) expect(body).not.toContain(secret);
    expect(consoleA.problems()).toEqual([]);
    expect(consoleB.problems()).toEqual([]);
    await contextB.close();
    await context.close();
  }, 60_000);

  test('chat: a message sent in one browser appears in another, then its edit, reactions, typing and delete', async ({
    annotate,
  }) => {
    // backstage: no seeded members, no other test's messages.
    const url = `${server.url}#backstage`;
    const a = await joinDemoRoom(browser, url, 'Mary Jackson');
    const b = await joinDemoRoom(browser, url, 'Dorothy Vaughan');
    const chatText = (page: Page) => page.getByTestId('chat-log').innerText();

    await a.page
      .getByRole('textbox', { name: 'Message', exact: true })
      .fill('Hello from the first browser');
    const sentAt = Date.now();
    await a.page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => chatText(b.page), { timeout: 2000, interval: 20 })
      .toContain('Hello from the first browser');
    const seenAfterMs = Date.now() - sentAt;
    await annotate(`message seen in the second browser ${seenAfterMs} ms after the click`);
    // With the sender's name, and stored by the emulator as a chat message of the room.
    expect(await chatText(b.page)).toContain('Mary Jackson');
    const [stored] = (
      await new Ably.Rest({ ...emulator.clientOptions(), logLevel: 0 }).channels
        .get('backstage::$chat')
        .history()
    ).items;
    expect(stored).toMatchObject({
      name: 'chat.message',
      data: { text: 'Hello from the first browser' },
    });

    // The second browser reacts; the first sees the count.
    const message = (page: Page) => page.getByTestId('chat-log').locator('li').first();
    await message(b.page).getByRole('button', { name: '👍 0' }).click();
    await expect
      .poll(() => message(a.page).getByRole('button', { name: '👍 1' }).count(), { timeout: 5000 })
      .toBe(1);

    // The first browser edits its message; the second sees the new text, marked edited.
    await message(a.page).getByRole('button', { name: 'Edit' }).click();
    await a.page.getByLabel('Edited message').fill('Hello, edited');
    await a.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => chatText(b.page), { timeout: 5000 }).toContain('Hello, edited');
    expect(await chatText(b.page)).toContain('(edited)');
    // Only one's own messages can be edited.
    expect(await message(b.page).getByRole('button', { name: 'Edit' }).count()).toBe(0);

    // Typing in the second browser shows in the first, by name.
    await b.page.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('so');
    await expect
      .poll(() => a.page.locator('.demo-chat-typing').innerText(), { timeout: 5000 })
      .toBe('Dorothy Vaughan is typing…');

    // The first browser deletes its message; the second sees that it was deleted.
    await message(a.page).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => chatText(b.page), { timeout: 5000 }).toContain('Message deleted');

    expect(a.problems()).toEqual([]);
    expect(b.problems()).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 60_000);
});
