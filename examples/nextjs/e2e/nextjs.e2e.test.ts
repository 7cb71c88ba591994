import { createRequire } from 'node:module';
import { join } from 'node:path';

import { type Emulator, startEmulator } from '@presencekit/ably-emulator';
import { readClientId } from '@presencekit/react/server';
import type * as Ably from 'ably';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  freePort,
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

const appDir = join(repoRoot, 'examples', 'nextjs');
const nextBin = createRequire(join(appDir, 'package.json')).resolve('next/dist/bin/next');

const SEEDED = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Barbara Liskov'];

let emulator: Emulator;
let seeder: Ably.Realtime;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  requireBuilt(join(appDir, '.next', 'BUILD_ID'), 'examples/nextjs');
  emulator = await startEmulator({ leaveGraceMs: 300 });
  seeder = await seedPresence(emulator.clientOptions(), { lobby: SEEDED });
  const port = await freePort();
  server = await startServer({
    command: process.execPath,
    args: [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)],
    cwd: appDir,
    url: `http://127.0.0.1:${port}/api/ably-token`,
    env: { ABLY_API_KEY: emulator.key, ABLY_ENDPOINT: emulator.url },
  });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  seeder?.close();
  await emulator?.stop();
});

const origin = () => new URL(server.url).origin;

/** The text of the member rows marked as the visitor's own ("(you)") in raw HTML. */
function ownRows(html: string): string[] {
  return [...html.matchAll(/<li\b[^>]*data-self=""[^>]*>(.*?)<\/li>/gs)].map(([, row]) => row!);
}

/** The attributes of the first tag carrying `data-testid="<id>"` in raw HTML. */
function tagAttributes(html: string, id: string): Record<string, string> {
  const tag = new RegExp(`<[a-z]+\\b[^>]*data-testid="${id}"[^>]*>`).exec(html)?.[0] ?? '';
  const attributes: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([\w-]+)="([^"]*)"/g)) attributes[name!] = value!;
  return attributes;
}

describe('examples/nextjs against the emulator', () => {
  test('the server HTML holds the count and the members before any JavaScript runs', async () => {
    const response = await fetch(`${origin()}/rooms/lobby`);
    expect(response.status).toBe(200);
    const html = await response.text();

    const count = tagAttributes(html, 'viewer-count');
    expect(numberIn(count['aria-label'])).toBe(
      emulator.channel('lobby::$chat').metrics.connections,
    );
    expect(numberIn(count['aria-label'])).toBe(1);
    expect(count['data-status']).not.toBe('error');
    for (const name of SEEDED) expect(html).toContain(name);
    expect(html).not.toContain(emulator.key.split(':')[1]);

    // The lobby page has every room's occupancy in its HTML too.
    const home = await (await fetch(`${origin()}/`)).text();
    expect(home).toMatch(/data-room-occupancy="lobby"[^>]*>1 connected</);
    expect(home).toMatch(/data-room-occupancy="stage"[^>]*>0 connected</);

    // A browser with JavaScript off sees the same. (The count and the list are in the HTML either
    // way: inline when the fetch resolved before the shell was sent, else in the streamed segment,
    // which only a browser running React's inline script moves into place.)
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${origin()}/rooms/lobby`);
    expect(numberIn(await page.getByTestId('viewer-count').getAttribute('aria-label'))).toBe(1);
    expect(await page.getByTestId('member-list').innerText()).toContain('Grace Hopper');
    await context.close();
  });

  test('streams the page: the shell first, then the count of the Suspense hook in the same response', async () => {
    const response = await fetch(`${origin()}/rooms/lobby`);
    expect(response.headers.get('content-type')).toContain('text/html');
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      chunks.push(decoder.decode(chunk, { stream: true }));
    }
    const html = chunks.join('');
    // The shell (the heading, outside any Suspense boundary) came in the first chunks.
    expect(chunks.findIndex((c) => c.includes('<h1>#<!-- -->lobby</h1>'))).toBeGreaterThanOrEqual(
      0,
    );
    // The count rendered by useSuspenseOccupancy is in the streamed HTML, with the server's number.
    const count = tagAttributes(html, 'viewer-count');
    expect(count['data-status']).toBe('stale'); // the server's value, until the browser is live
    expect(numberIn(count['aria-label'])).toBe(
      emulator.channel('lobby::$chat').metrics.connections,
    );
    // It sits in a Suspense boundary: completed inline (after an open `<!--$-->`), or streamed
    // after the shell as a hidden segment that React's inline script swaps in.
    const before = html.slice(0, html.indexOf('data-testid="viewer-count"'));
    const closed = before.lastIndexOf('<!--/$-->');
    const open = before.lastIndexOf('<!--$');
    const segment = before.lastIndexOf('<div hidden id="S:');
    expect(Math.max(open, segment)).toBeGreaterThan(closed);
    for (const name of SEEDED) expect(html).toContain(name);
  });

  test('hydrates without a flash or a hydration warning, goes live, and sees a second visitor within a second', async ({
    annotate,
  }) => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    const consoleA = watchConsole(page);
    const responses = recordResponses(page, origin());
    // From the first byte on, record what the count and the list say after every DOM change.
    await page.addInitScript(() => {
      const w = window as unknown as {
        __counts: string[];
        __lists: string[];
        __listAtParsed: string;
      };
      w.__counts = [];
      w.__lists = [];
      w.__listAtParsed = '';
      document.addEventListener('DOMContentLoaded', () => {
        w.__listAtParsed =
          document.querySelector('[data-testid="member-list"]')?.textContent ?? '(no list)';
      });
      new MutationObserver(() => {
        const count = document.querySelector('[data-testid="viewer-count"]');
        const list = document.querySelector('[data-testid="member-list"]');
        if (count) w.__counts.push(count.getAttribute('aria-label') ?? '');
        if (list) w.__lists.push(list.textContent ?? '');
      }).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    await page.goto(`${origin()}/rooms/lobby`);

    // Live: once this tab has attached, the emulator counts it, and so does the page (the server
    // rendered 1).
    await expect
      .poll(() => emulator.channel('lobby::$chat').metrics.connections, { timeout: 10_000 })
      .toBe(2);
    await expect
      .poll(
        async () => numberIn(await page.getByTestId('viewer-count').getAttribute('aria-label')),
        {
          timeout: 10_000,
        },
      )
      .toBe(2);

    const samples = await page.evaluate(() => {
      const w = window as unknown as {
        __counts: string[];
        __lists: string[];
        __listAtParsed: string;
      };
      return { counts: w.__counts, lists: w.__lists, listAtParsed: w.__listAtParsed };
    });
    // No flash: every state the count went through was a number, and the list never lost the
    // people the server rendered.
    expect(samples.counts.length).toBeGreaterThan(0);
    for (const label of samples.counts) expect(label).toMatch(/^\d+ /);
    expect(numberIn(samples.counts[0])).toBe(1);
    // The parser streams the list in, so it can be seen empty before its rows arrive; once a row
    // is shown it must stay shown (hydration and going live never take it away).
    const firstShown = samples.lists.findIndex((text) => text.includes('Ada Lovelace'));
    expect(firstShown).toBeGreaterThanOrEqual(0);
    for (const text of samples.lists.slice(firstShown)) expect(text).toContain('Ada Lovelace');
    expect(samples.listAtParsed).toContain('Ada Lovelace');

    // A second visitor enters from another browser context (its own cookie, its own client id).
    const contextB = await browser.newContext();
    const pageB = await contextB.newPage();
    const consoleB = watchConsole(pageB);
    await pageB.goto(`${origin()}/rooms/lobby`);
    await expect
      .poll(
        async () => numberIn(await pageB.getByTestId('viewer-count').getAttribute('aria-label')),
        {
          timeout: 10_000,
        },
      )
      .toBe(3);
    await pageB.getByLabel('Your name').fill('Katherine Johnson');
    const clickedAt = Date.now();
    await pageB.getByRole('button', { name: 'Join the room' }).click();
    await expect
      .poll(() => page.getByTestId('member-list').innerText(), { timeout: 1000, interval: 20 })
      .toContain('Katherine Johnson');
    const seenAfterMs = Date.now() - clickedAt;
    expect(seenAfterMs).toBeLessThan(1000);
    await annotate(`second visitor seen by the first tab ${seenAfterMs} ms after the click`);
    const joined = emulator
      .channel('lobby::$chat')
      .members.find(
        (m) => (memberData(m) as { name?: string } | undefined)?.name === 'Katherine Johnson',
      );
    expect(joined).toBeDefined();
    // Bound to the client id derived from the visitor's cookie, which the browser never chose;
    // the cookie's value is a secret that appears nowhere in presence.
    const cookie = (await contextB.cookies()).find((c) => c.name === 'presencekit_visitor');
    expect(cookie?.httpOnly).toBe(true);
    const cookieHeader = `presencekit_visitor=${cookie?.value}`;
    const derived = await readClientId(cookieHeader, { key: emulator.key });
    expect(derived).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(joined?.clientId).toBe(derived);
    for (const member of emulator.channel('lobby::$chat').members) {
      expect(JSON.stringify([member.clientId, memberData(member)])).not.toContain(cookie?.value);
    }

    // The server-rendered page marks that visitor's own row "(you)", and only for that cookie:
    // sending Katherine's public client id as the cookie is being no one.
    const pageFor = async (header?: string) =>
      (
        await fetch(`${origin()}/rooms/lobby`, header ? { headers: { cookie: header } } : {})
      ).text();
    const own = ownRows(await pageFor(cookieHeader));
    expect(own).toHaveLength(1);
    expect(own[0]).toContain('Katherine Johnson');
    expect(ownRows(await pageFor())).toEqual([]);
    expect(ownRows(await pageFor(`presencekit_visitor=${joined?.clientId}`))).toEqual([]);

    await saveScreenshot(page, 'example-nextjs');

    const secret = emulator.key.split(':')[1]!;
    for (const body of await responses.bodies()) expect(body).not.toContain(secret);
    expect(consoleA.problems()).toEqual([]);
    expect(consoleB.problems()).toEqual([]);
    await contextB.close();
    await context.close();
  });

  test('the token route answers a token request for the cookie, never the key', async () => {
    const response = await fetch(`${origin()}/api/ably-token`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).not.toContain(emulator.key.split(':')[1]);
    const tokenRequest = JSON.parse(body) as Ably.TokenRequest;
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^presencekit_visitor=[A-Za-z0-9_-]{43}$/);
    expect(body).not.toContain(cookie.split('=')[1]);
    expect(tokenRequest.clientId).toBe(await readClientId(cookie, { key: emulator.key }));

    // The client id is public; sending it back as the cookie gets a new visitor, not that one.
    const forged = await fetch(`${origin()}/api/ably-token`, {
      headers: { cookie: `presencekit_visitor=${tokenRequest.clientId}` },
    });
    expect(forged.headers.get('set-cookie')).toMatch(/^presencekit_visitor=/);
    expect(((await forged.json()) as Ably.TokenRequest).clientId).not.toBe(tokenRequest.clientId);
    expect(Object.keys(JSON.parse(tokenRequest.capability) as object).sort()).toEqual([
      'backstage::$chat',
      'lobby::$chat',
      'stage::$chat',
    ]);
  });
});
