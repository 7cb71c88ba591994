import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Ably from 'ably';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumLaunchOptions } from '../../../../scripts/chromium.js';
import { saveScreenshot } from '../../../../scripts/screenshots.js';
import { type Emulator, startEmulator } from '../../src/index.js';
import { ASSETS_DIR } from '../../src/inspector/assets.js';

/**
 * The inspector page in real Chromium against a running emulator, with real SDK clients on the
 * other side: what they do shows on the page within a second, what the page does they see, it
 * stays small and quick with 10,000 members, axe finds nothing, and another page cannot drive it.
 * The tests run in order on one page, as a developer would use it.
 */

const GRACE_MS = 800;
const LOBBY = 'lobby::$chat';

let emulator: Emulator;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const clients: Ably.Realtime[] = [];

/** What an SDK client on the lobby sees: presence events with when they arrived. */
const seen: { action: string; clientId: string; at: number }[] = [];
let observer: Ably.RealtimeChannel;

function client(clientId: string): Ably.Realtime {
  const c = new Ably.Realtime(emulator.clientOptions({ clientId, logLevel: 0 }));
  clients.push(c);
  return c;
}

const members = (room: string) => page.getByRole('table', { name: `Members of ${room}` });
const cell = (room: string, text: string) =>
  members(room).getByRole('cell', { name: text, exact: true });

beforeAll(async () => {
  if (!existsSync(`${ASSETS_DIR}/index.html`)) {
    throw new Error('The inspector page is not built: run "pnpm build" at the repository root.');
  }
  emulator = await startEmulator({
    leaveGraceMs: GRACE_MS,
    maxPresenceMembers: 20_000,
    occupancyDebounceMs: 10,
  });
  const watcher = client('observer');
  observer = watcher.channels.get(LOBBY);
  await observer.presence.subscribe((m) =>
    seen.push({ action: m.action, clientId: m.clientId, at: Date.now() }),
  );
  browser = await chromium.launch({ ...chromiumLaunchOptions, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 960 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto(`${emulator.inspectorUrl}?channel=${encodeURIComponent(LOBBY)}`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  await emulator?.stop();
});

describe('the inspector page', () => {
  test('shows members entered by SDK clients within a second', async () => {
    const alice = client('alice');
    await alice.channels.get(LOBBY).presence.enter({ name: 'Alice', status: 'online' });
    const entered = Date.now();
    await cell('lobby', 'alice').waitFor({ timeout: 1000 });
    expect(Date.now() - entered).toBeLessThan(1000);

    const bob = client('bob');
    await bob.channels.get(LOBBY).presence.enter({ name: 'Bob', status: 'away' });
    await cell('lobby', 'bob').waitFor({ timeout: 1000 });
    // The log has them too, and the connections table.
    await page
      .getByRole('table', { name: 'Events, newest first' })
      .getByRole('cell', { name: '{"name":"Bob","status":"away"}' })
      .waitFor({ timeout: 1000 });
    await page
      .getByRole('button', { name: `Close connection bob (${bob.connection.id})` })
      .waitFor();
  });

  test('"Set visitors" adds simulated visitors that SDK clients see, and can take them away', async () => {
    await page.getByLabel('Room (default app)').fill('lobby');
    await page.getByLabel('Visitors', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Set visitors' }).click();
    const simulated = async () =>
      (await observer.presence.get()).filter((m) => m.clientId.startsWith('sim-lobby-')).length;
    await expect.poll(simulated, { timeout: 5000 }).toBeGreaterThanOrEqual(10);
    await cell('lobby', 'sim-lobby-1').waitFor({ timeout: 1000 });
    await page.getByRole('status').filter({ hasText: 'lobby keeps about 12' }).waitFor();
    await saveScreenshot(page, 'inspector');

    await page.getByLabel('Visitors', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Set visitors' }).click();
    await expect.poll(simulated, { timeout: 5000 }).toBe(0);
    await expect.poll(() => members('lobby').getByRole('row').count()).toBe(3); // header, alice, bob
  });

  test('"Remove member" makes SDK clients see the member leave', async () => {
    const bob = clients.find((c) => c.auth.clientId === 'bob')!;
    const removed = Date.now();
    await page
      .getByRole('button', { name: `Remove member bob (connection ${bob.connection.id})` })
      .click();
    await expect
      .poll(() => seen.find((e) => e.clientId === 'bob' && e.action === 'leave' && e.at >= removed))
      .toBeDefined();
    await expect.poll(() => cell('lobby', 'bob').count()).toBe(0);
  });

  test('"Drop connection" makes the member leave after the leave grace, as SDK clients see', async () => {
    const alice = clients.find((c) => c.auth.clientId === 'alice')!;
    const dropped = Date.now();
    await page
      .getByRole('button', { name: `Drop connection alice (${alice.connection.id})` })
      .click();
    await expect.poll(() => alice.connection.state).not.toBe('connected');
    // Still present while the grace runs, its connection shown as dropped.
    await page
      .getByRole('table', { name: 'Connections' })
      .getByRole('cell', { name: 'dropped', exact: true })
      .waitFor({ timeout: 1000 });
    expect(seen.filter((e) => e.clientId === 'alice' && e.at >= dropped)).toEqual([]);
    await expect
      .poll(() => seen.find((e) => e.clientId === 'alice' && e.action === 'leave'), {
        timeout: GRACE_MS + 3000,
      })
      .toBeDefined();
    const left = seen.find((e) => e.clientId === 'alice' && e.action === 'leave')!.at - dropped;
    expect(left).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(left).toBeLessThan(GRACE_MS + 1500);
    await expect.poll(() => cell('lobby', 'alice').count()).toBe(0);
  });

  test('is operable by keyboard and axe finds no violations', async () => {
    // Keyboard: from the channel filter, Tab reaches the lobby, Enter selects it.
    await page.getByLabel('Filter channels').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toContain('lobby');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Room lobby/ }).waitFor();

    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');
    // Evaluated (not a script tag), so the page's Content-Security-Policy stays as it is.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (
        window as unknown as {
          axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
        }
      ).axe.run();
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
  });

  test('stays small and quick with 10,000 members', async () => {
    // 10,000 members from the start (an app's presence fixtures), and an SDK client entering and
    // leaving more all along (over Ably's 200-member limit: maxPresenceMembers is raised).
    const stage = emulator.createApp({
      channels: [
        {
          name: 'stage::$chat',
          presence: Array.from({ length: 10_000 }, (_, i) => ({
            clientId: `fan-${i}`,
            data: { name: `Fan ${i}`, status: 'online' },
          })),
        },
      ],
    });
    const crowd = new Ably.Realtime(
      emulator.clientOptions({ key: stage.keys[0]!.keyStr, logLevel: 0 }),
    );
    clients.push(crowd);
    const channel = crowd.channels.get('stage::$chat');
    await channel.attach();
    let walker = 0;
    const churn = setInterval(() => {
      walker++;
      void channel.presence.enterClient(`walker-${walker}`, { n: walker }).catch(() => {});
      if (walker > 20) void channel.presence.leaveClient(`walker-${walker - 20}`).catch(() => {});
    }, 25);
    try {
      await page.getByRole('button', { name: new RegExp(`^${stage.appId}`) }).click();
      const started = Date.now();
      await page.getByRole('button', { name: /^stage/ }).click();
      const table = members('stage');
      await expect
        .poll(async () => Number(await table.getAttribute('aria-rowcount')), { timeout: 10_000 })
        .toBeGreaterThan(10_000);
      expect(Date.now() - started).toBeLessThan(5000);
      await expectSmallAndQuick(table);
    } finally {
      clearInterval(churn);
    }
  });
});

/** Bounded DOM at the top and at the end of a huge members table, with no long main-thread task. */
async function expectSmallAndQuick(table: ReturnType<typeof members>): Promise<void> {
  // Watch the main thread while the room churns and the page keeps up.
  await page.evaluate(() => {
    const w = window as unknown as { longest: number };
    w.longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longest = Math.max(w.longest, entry.duration);
    }).observe({ type: 'longtask' });
  });
  const domSize = () => page.evaluate(() => document.querySelectorAll('*').length);
  const bodyRows = () => table.locator('tbody tr:not(.spacer)').count();
  expect(await domSize()).toBeLessThan(2500);
  expect(await bodyRows()).toBeLessThan(40);

  // Scrolled to the end: the last members are in the DOM, and still only a few rows.
  await page.evaluate(() => {
    const region = document.querySelector('[role="region"][aria-label="Members of stage"]')!;
    region.scrollTop = region.scrollHeight;
  });
  await expect
    .poll(async () => {
      const indexes = await table
        .locator('tbody tr[aria-rowindex]')
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('aria-rowindex'))));
      const count = Number(await table.getAttribute('aria-rowcount'));
      return Math.max(...indexes) >= count - 1;
    })
    .toBe(true);
  expect(await bodyRows()).toBeLessThan(40);
  expect(await domSize()).toBeLessThan(2500);

  // A filter typed while members come and go answers at once.
  const typed = Date.now();
  await page.getByLabel('Client ID').fill('walker');
  const log = page.getByRole('table', { name: 'Events, newest first' });
  await log
    .getByRole('cell', { name: /^walker-/ })
    .first()
    .waitFor();
  expect(Date.now() - typed).toBeLessThan(1000);
  expect(await log.getByRole('cell', { name: 'observer', exact: true }).count()).toBe(0);
  const longest = await page.evaluate(() => (window as unknown as { longest: number }).longest);
  expect(longest).toBeLessThan(500);
  expect(problems).toEqual([]);
}

describe('another page', () => {
  let server: Server;
  let origin = '';

  beforeAll(async () => {
    // A page on another loopback port: the emulator's access policy lets it use REST and
    // WebSockets; the inspector must still refuse it.
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title><iframe name="sink"></iframe>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('cannot use the inspector API: no fetch, no form post, no stream, no frame', async () => {
    const before = emulator.latency;
    const other = await browser.newPage();
    try {
      await other.goto(`${origin}/`);
      const results = await other.evaluate(async (base) => {
        const action = `${base}/inspector/api/action`;
        const body = JSON.stringify({ type: 'setLatency', ms: 777, jitterMs: 0 });
        const out: Record<string, string> = {};
        out.fetch = await fetch(action, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-ably-emulator-inspector': '1' },
          body,
        }).then(
          (r) => String(r.status),
          () => 'blocked',
        );
        out.simple = await fetch(action, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'text/plain' },
          body,
        }).then(
          (r) => r.type,
          () => 'blocked',
        );
        out.stream = await new Promise<string>((resolve) => {
          const es = new EventSource(`${base}/inspector/api/stream`);
          es.onopen = () => resolve('open');
          es.onerror = () => {
            es.close();
            resolve('error');
          };
        });
        // The classic cross-site JSON post: a text/plain form whose field spells the JSON.
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = action;
        form.enctype = 'text/plain';
        form.target = 'sink';
        const field = document.createElement('input');
        field.name = body.slice(0, -1) + ',"x":"';
        field.value = '"}';
        form.append(field);
        document.body.append(form);
        const sink = document.querySelector('iframe')!;
        const posted = new Promise((resolve) => sink.addEventListener('load', resolve));
        form.submit();
        await posted;
        // Framing the inspector page itself.
        const frame = document.createElement('iframe');
        frame.src = `${base}/inspector`;
        const framed = new Promise((resolve) => frame.addEventListener('load', resolve));
        document.body.append(frame);
        await framed;
        return out;
      }, emulator.url);
      // The no-cors post is sent (a browser cannot stop that) but refused (403); its answer is
      // opaque, or blocked outright by Cross-Origin-Resource-Policy.
      expect(results).toEqual({
        fetch: 'blocked',
        simple: expect.stringMatching(/^(opaque|blocked)$/) as unknown,
        stream: 'error',
      });
      for (const frame of other.frames()) {
        expect(await frame.getByRole('heading', { name: 'Ably emulator inspector' }).count()).toBe(
          0,
        );
      }
      expect(emulator.latency).toEqual(before);
    } finally {
      await other.close();
    }
  });
});
