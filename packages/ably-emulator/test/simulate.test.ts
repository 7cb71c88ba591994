import { ChatClient, LogLevel, OrderBy } from '@ably/chat';
import { expect, test, vi } from 'vitest';
import { SimulatedRoom } from '../src/simulate/visitors.js';
import { seededRandom } from '../src/state/ids.js';
import { emulator, realtime } from './helpers.js';

test('simulated visitors are present with name, avatar and status, and churn over time', async () => {
  const e = await emulator({ simulate: [{ room: 'stage', count: 8, intervalMs: 40 }], seed: 42 });
  const client = await realtime(e, { clientId: 'viewer' });
  const members = await client.channels.get('stage::$chat').presence.get();
  // About 8 (churn may already have started).
  expect(members.length).toBeGreaterThanOrEqual(6);
  expect(members.length).toBeLessThanOrEqual(10);
  for (const m of members) {
    const data = m.data as { name: string; avatar?: string; status: string };
    expect(Object.keys(data).sort()).toEqual(
      data.avatar === undefined ? ['name', 'status'] : ['avatar', 'name', 'status'],
    );
    expect(data.name).toMatch(/^\S+ [A-Z]\.$/);
    if (data.avatar !== undefined) expect(data.avatar).toBe(`${e.url}/avatars/${m.clientId}.svg`);
    expect(data.status).toMatch(/^(online|away|busy)$/);
  }
  expect(e.channel('stage::$chat').metrics.connections).toBe(e.simulatedVisitors()['stage']! + 1);
  const events: string[] = [];
  await client.channels.get('stage::$chat').presence.subscribe((m) => events.push(m.action));
  await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
  const size = e.simulatedVisitors()['stage']!;
  expect(size).toBeGreaterThanOrEqual(6);
  expect(size).toBeLessThanOrEqual(10);
});

test('the same seed gives the same visitors', async () => {
  const names = async (seed: number) => {
    const e = await emulator({ simulate: [{ room: 'r', count: 5 }], seed });
    return e
      .channel('r::$chat')
      .members.map((m) => JSON.parse(m.data as string) as { name: string })
      .map((d) => d.name);
  };
  expect(await names(7)).toEqual(await names(7));
  expect(await names(7)).not.toEqual(await names(8));
  expect(seededRandom(1)()).toBe(seededRandom(1)());
  expect(SimulatedRoom).toBeTypeOf('function');
});

test('most visitors have an avatar the emulator serves over http; some have none', async () => {
  const e = await emulator({ simulate: [{ room: 'hall', count: 40, intervalMs: 60_000 }] });
  const members = e.channel('hall::$chat').members;
  expect(members).toHaveLength(40);
  const avatars = members
    .map((m) => (JSON.parse(m.data as string) as { avatar?: string }).avatar)
    .filter((a) => a !== undefined);
  // About three in four (the seed fixes the exact number).
  expect(avatars.length).toBeGreaterThanOrEqual(22);
  expect(avatars.length).toBeLessThanOrEqual(38);
  for (const url of avatars.slice(0, 5)) {
    expect(url.startsWith(`${e.url}/avatars/sim-hall-`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await res.text()).toMatch(/^<svg /);
  }
});

test('simulated visitors chat: opening messages, then messages and reactions now and then, the same for the same seed', async () => {
  const opening = async (seed: number) => {
    const e = await emulator({
      simulate: [{ room: 'cafe', count: 6, intervalMs: 60_000, messageIntervalMs: 60_000 }],
      seed,
    });
    const client = new ChatClient(await realtime(e, { clientId: 'reader' }), {
      logLevel: LogLevel.Silent,
    });
    const room = await client.rooms.get('cafe');
    const history = await room.messages.history({ orderBy: OrderBy.OldestFirst });
    return history.items.map((m) => [m.clientId, m.text, m.reactions.distinct]);
  };
  const seven = await opening(7);
  expect(seven).toHaveLength(3);
  for (const [clientId, text] of seven) {
    expect(clientId).toMatch(/^sim-cafe-\d+$/);
    expect(text).not.toBe('');
  }
  // One of them already has a reaction.
  expect(seven.filter(([, , reactions]) => Object.keys(reactions!).length > 0)).toHaveLength(1);
  expect(await opening(7)).toEqual(seven);
  expect(await opening(8)).not.toEqual(seven);

  // Live: more messages and reactions arrive while a reader watches.
  const e = await emulator({ simulate: [{ room: 'busy', count: 4, messageIntervalMs: 20 }] });
  const room = await new ChatClient(await realtime(e, { clientId: 'watcher' }), {
    logLevel: LogLevel.Silent,
  }).rooms.get('busy');
  const messages: unknown[] = [];
  const summaries: unknown[] = [];
  room.messages.subscribe((ev) => messages.push(ev));
  room.messages.reactions.subscribe((ev) => summaries.push(ev));
  await room.attach();
  await vi.waitFor(() => {
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(summaries.length).toBeGreaterThanOrEqual(2);
  });

  // messageIntervalMs: 0 turns the chat off.
  const quiet = await emulator({ simulate: [{ room: 'quiet', count: 4, messageIntervalMs: 0 }] });
  expect(quiet.channel('quiet::$chat').messageCount).toBe(0);
});
