import * as Ably from 'ably';
import { expect, inject, test } from 'vitest';
import { commands } from 'vitest/browser';
import { browserOptions } from './client-options.js';

const ctx = inject('ablyEmulator');

test('the browser build of ably sees the Node client in presence, over JSON WebSocket', async () => {
  const client = new Ably.Realtime(browserOptions('browser-visitor'));
  try {
    await client.connection.once('connected');
    const channel = client.channels.get(ctx.channel);
    const members = await channel.presence.get();
    const node = members.find((m) => m.clientId === ctx.nodeClientId);
    expect(node?.data).toEqual(ctx.nodeData);

    // And the other way round: the Node client sees the browser enter.
    await channel.presence.enter({ from: 'browser' });
    await expect
      .poll(() => commands.nodeSeesMembers(), { timeout: 5_000 })
      .toEqual(expect.arrayContaining([ctx.nodeClientId, 'browser-visitor']));

    // The emulator saw this connection come from the browser build, in JSON.
    const { upgrades } = await commands.emulatorRecord();
    const mine = upgrades.filter((u) => u.clientId === 'browser-visitor');
    expect(mine.length).toBeGreaterThan(0);
    for (const u of mine) {
      expect(u.agent).toMatch(/^ably-js\/\S+ browser$/);
      expect(u.format ?? 'json').toBe('json');
    }
    // The Node client's agent says nodejs: the check above can tell the builds apart.
    expect(upgrades.find((u) => u.clientId === ctx.nodeClientId)?.agent).toMatch(/nodejs/);
  } finally {
    client.close();
  }
});

test('browser REST: publish (CORS) and history and presence (envelope) reach the emulator', async () => {
  const rest = new Ably.Rest(browserOptions('browser-rest'));
  const channel = rest.channels.get(ctx.channel);
  const published = await channel.publish('hello', { from: 'browser' });
  expect(published.serials).toHaveLength(1);
  const history = await channel.history({ limit: 1 });
  expect(history.items.map((m) => [m.name, m.data as unknown, m.clientId])).toEqual([
    ['hello', { from: 'browser' }, 'browser-rest'],
  ]);
  const presence = await channel.presence.get();
  expect(presence.items.map((m) => m.clientId)).toContain(ctx.nodeClientId);
  // Errors reach the app with their Ably code (x-ably-errorcode exposed through CORS).
  const bad = new Ably.Rest({ ...browserOptions('x'), key: `${ctx.key.split(':')[0]}:wrong` });
  await expect(bad.channels.get('x').history()).rejects.toMatchObject({ code: 40101 });

  const { requests } = await commands.emulatorRecord();
  const path = `/channels/${ctx.channel}`;
  const historyRequest = requests.find((r) => r.method === 'GET' && r.path === `${path}/messages`);
  expect(historyRequest).toMatchObject({ envelope: 'json', origin: window.location.origin });
  const publishRequest = requests.find((r) => r.method === 'POST' && r.path === `${path}/messages`);
  expect(publishRequest?.origin).toBe(window.location.origin);
  // A cross-origin request with credentials: the browser asked first.
  expect(requests.some((r) => r.method === 'OPTIONS' && r.path === `${path}/messages`)).toBe(true);
});
