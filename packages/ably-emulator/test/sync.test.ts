import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';
import { RawClient } from './raw-client.js';

const MEMBERS = 2_500;

describe.each(FORMATS)('large presence sets over $name', ({ name: format, useBinaryProtocol }) => {
  test(`${MEMBERS} members arrive by paged SYNC and get() completes`, async () => {
    // Far past Ably's 200 members per channel, on purpose: paging is what is tested.
    const e = await emulator({ maxPresenceMembers: MEMBERS });
    // Real enters from one wildcard connection (enterClient), in batches.
    const service = await realtime(e, { useBinaryProtocol });
    const ch = service.channels.get('big');
    const batch: Promise<void>[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      batch.push(ch.presence.enterClient(`user-${i}`, { n: i }));
      if (batch.length === 250) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    expect(e.channel('big').metrics.presenceMembers).toBe(MEMBERS);

    const late = await realtime(e, { clientId: 'late', useBinaryProtocol });
    const members: Ably.PresenceMessage[] = await late.channels.get('big').presence.get();
    expect(members).toHaveLength(MEMBERS);
    expect(members.find((m) => m.clientId === 'user-1234')?.data).toEqual({ n: 1234 });

    // Paging: 500 per frame, a non-empty cursor on all but the last page.
    const raw = await RawClient.connect(e, { format });
    raw.send({ action: 10, channel: 'big' });
    const attached = await raw.next((m) => m.action === 11);
    expect(attached.flags! & 1).toBe(1); // HAS_PRESENCE
    await vi.waitFor(() => expect(raw.frames.filter((m) => m.action === 16)).toHaveLength(5));
    const syncs = raw.frames.filter((m) => m.action === 16);
    expect(syncs.map((s) => s.presence!.length)).toEqual([500, 500, 500, 500, 500]);
    expect(syncs.slice(0, 4).every((s) => /^[\w-]+:.+$/.test(s.channelSerial!))).toBe(true);
    expect(syncs[4]!.channelSerial).toMatch(/^[\w-]+:$/);
  });
});

test('an empty channel attaches without HAS_PRESENCE and get() resolves at once', async () => {
  const e = await emulator();
  const raw = await RawClient.connect(e);
  raw.send({ action: 10, channel: 'empty' });
  const attached = await raw.next((m) => m.action === 11);
  expect(attached.flags! & 1).toBe(0);
  expect(attached.channelSerial).toBeTruthy();
  const client = await realtime(e, { clientId: 'x' });
  expect(await client.channels.get('empty').presence.get()).toEqual([]);
});

test('presence fixtures from an app spec are synced', async () => {
  const e = await emulator();
  const app = e.createApp({
    channels: [
      {
        name: 'fixtures',
        presence: [
          { clientId: 'client_bool', data: 'true' },
          { clientId: 'client_json', data: '{"test":"json"}', encoding: 'json' },
        ],
      },
    ],
  });
  const client = await realtime(e, { key: app.keys[0]!.keyStr });
  const members = await client.channels.get('fixtures').presence.get();
  expect(members.map((m): unknown[] => [m.clientId, m.data as unknown]).sort()).toEqual([
    ['client_bool', 'true'],
    ['client_json', { test: 'json' }],
  ]);
});

test('spliced SYNC pages decode to the same frames a plain encode gives, in both formats', async () => {
  const { syncFrames, memberToWire } = await import('../src/realtime/presence.js');
  const { decodeValue } = await import('../src/protocol/codec.js');
  const e = await emulator();
  const fixtures = Array.from({ length: 20 }, (_, i) => ({
    clientId: `c${i}`,
    data: i % 3 === 0 ? Buffer.from([i, 1]) : `{"i":${i}}`,
    ...(i % 3 === 0 ? {} : { encoding: 'json' }),
  }));
  const app = e.createApp({ channels: [{ name: 'splice', presence: fixtures }] });
  const channel = e.apps.get(app.appId)!.findChannel('splice')!;
  const frames = syncFrames(channel, 8);
  expect(frames).toHaveLength(3);
  const members = [...channel.presence.values()];
  for (const format of ['json', 'msgpack'] as const) {
    const decoded = frames.map(
      (f) => decodeValue(f.encoded(format), format) as Record<string, unknown>,
    );
    expect(decoded.map((d) => (d['presence'] as unknown[]).length)).toEqual([8, 8, 4]);
    expect((decoded[2]!['channelSerial'] as string).endsWith(':')).toBe(true);
    const first = (decoded[0]!['presence'] as Record<string, unknown>[])[0]!;
    const expected = memberToWire(members[0]!, 1);
    if (format === 'json') {
      expect(first).toEqual({
        ...expected,
        data: Buffer.from([0, 1]).toString('base64'),
        encoding: 'base64',
      });
    } else {
      expect(first).toEqual(expected);
    }
    expect(decoded[0]).toMatchObject({ action: 16, channel: 'splice' });
  }
});
