import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime, rest } from './helpers.js';
import { RawClient } from './raw-client.js';

/** Subscribes (which attaches) and collects message names; resolves with the ATTACHED change. */
async function rewindInto(
  channel: Ably.RealtimeChannel,
  names: string[],
): Promise<Ably.ChannelStateChange> {
  const attached = channel.once('attached');
  await channel.subscribe((m) => names.push(m.name!));
  return attached;
}

describe.each(FORMATS)('rewind over $name', ({ name: format, useBinaryProtocol }) => {
  test('rewind=N delivers the last N retained messages on attach, with HAS_BACKLOG', async () => {
    const e = await emulator();
    const publisher = rest(e, { useBinaryProtocol });
    const channel = publisher.channels.get('history');
    for (const name of ['one', 'two', 'three', 'four']) await channel.publish(name, name);
    // Ephemeral messages are not retained, so not rewound either.
    await channel.publish({ name: 'typing', extras: { ephemeral: true } });

    const client = await realtime(e, { useBinaryProtocol });
    const names: string[] = [];
    const change = await rewindInto(
      client.channels.get('history', { params: { rewind: '3' } }),
      names,
    );
    expect(change.hasBacklog).toBe(true);
    await vi.waitFor(() => expect(names).toEqual(['two', 'three', 'four']));
    await channel.publish('five', 'live');
    await vi.waitFor(() => expect(names).toEqual(['two', 'three', 'four', 'five']));

    // As ably-js sends a qualified name (another connection: one attachment per channel).
    const other = await realtime(e, { useBinaryProtocol });
    const qualified: string[] = [];
    const change2 = await rewindInto(other.channels.get('[?rewind=1]history'), qualified);
    await vi.waitFor(() => expect(qualified).toEqual(['five']));
    expect(change2.hasBacklog).toBe(true);
    // Nothing to rewind: no backlog.
    const empty: string[] = [];
    const change3 = await rewindInto(
      client.channels.get('nothing-here', { params: { rewind: '5' } }),
      empty,
    );
    expect(change3.hasBacklog).toBe(false);
  });

  test('rewind=<n>s / <n>m is a time window, within the retention; rewindLimit caps it', async () => {
    let now = Date.now();
    const e = await emulator({ now: () => now });
    const channel = rest(e, { useBinaryProtocol }).channels.get('window');
    await channel.publish('old', 'x');
    now += 90_000;
    await channel.publish('recent-1', 'x');
    await channel.publish('recent-2', 'x');
    await channel.publish('recent-3', 'x');

    // One connection each: one attachment per connection and channel.
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => realtime(e, { useBinaryProtocol })));
    const lastMinute: string[] = [];
    await rewindInto(a!.channels.get('window', { params: { rewind: '1m' } }), lastMinute);
    const wide: string[] = [];
    await rewindInto(b!.channels.get('[?rewind=100s]window'), wide);
    const capped: string[] = [];
    await rewindInto(c!.channels.get('[?rewind=2m&rewindLimit=2]window'), capped);
    await vi.waitFor(() => {
      expect(lastMinute).toEqual(['recent-1', 'recent-2', 'recent-3']);
      expect(wide).toEqual(['old', 'recent-1', 'recent-2', 'recent-3']);
      expect(capped).toEqual(['recent-2', 'recent-3']);
    });
  });

  test('at most 100 messages; more is a non-fatal 90004 on ATTACHED', async () => {
    const e = await emulator();
    const channel = rest(e, { useBinaryProtocol }).channels.get('busy');
    await channel.publish(Array.from({ length: 105 }, (_, i) => ({ name: `m${i}`, data: 'x' })));
    const client = await realtime(e, { useBinaryProtocol });
    const names: string[] = [];
    const change = await rewindInto(
      client.channels.get('busy', { params: { rewind: '150' } }),
      names,
    );
    expect(change.reason).toMatchObject({ code: 90004, statusCode: 404 });
    await vi.waitFor(() => expect(names).toHaveLength(100));
    expect(names[0]).toBe('m5');
    expect(names.at(-1)).toBe('m104');
  });

  test('an unreadable rewind fails the attach (only that channel)', async () => {
    const e = await emulator();
    const client = await realtime(e, { useBinaryProtocol });
    const channel = client.channels.get('bad', { params: { rewind: 'yesterday' } });
    await expect(channel.attach()).rejects.toMatchObject({ code: 40000 });
    await client.channels.get('good').attach();
    expect(client.connection.state).toBe('connected');
  });

  test('a rewind applies to the first attach only: not again on resume or setOptions', async () => {
    const e = await emulator({ leaveGraceMs: 5_000 });
    const publisher = rest(e, { useBinaryProtocol }).channels.get('once');
    await publisher.publish('before', 'x');
    const client = await realtime(e, { useBinaryProtocol });
    const names: string[] = [];
    const channel = client.channels.get('[?rewind=1]once');
    await rewindInto(channel, names);
    await vi.waitFor(() => expect(names).toEqual(['before']));

    const id = client.connection.id!;
    const states: string[] = [];
    client.connection.on((c) => states.push(c.current));
    e.dropConnection(id);
    await vi.waitFor(() => expect(states).toEqual(['disconnected', 'connecting', 'connected']));
    expect(client.connection.id).toBe(id);
    await channel.setOptions({ params: { rewind: '5' } });
    await publisher.publish('after', 'x');
    await vi.waitFor(() => expect(names).toEqual(['before', 'after']));
    expect(channel.state).toBe('attached');
  });

  test('RTL4j2: an ATTACH with ATTACH_RESUME or a channelSerial is not rewound', async () => {
    const e = await emulator();
    await rest(e, { useBinaryProtocol }).channels.get('raw').publish('kept', 'x');
    const raw = await RawClient.connect(e, { format });
    await raw.next((m) => m.action === 4);
    raw.send({ action: 10, channel: '[?rewind=1]raw', flags: 1 << 5 });
    const resumed = await raw.next((m) => m.action === 11);
    expect(resumed.flags! & 2).toBe(0); // no HAS_BACKLOG
    raw.send({ action: 12, channel: '[?rewind=1]raw' });
    await raw.next((m) => m.action === 13);
    raw.send({ action: 10, channel: 'raw', params: { rewind: '1' }, channelSerial: 'x' });
    const continued = await raw.next((m) => m.action === 11 && m.channel === 'raw');
    expect(continued.flags! & 2).toBe(0);
    raw.send({ action: 12, channel: 'raw' });
    await raw.next((m) => m.action === 13 && m.channel === 'raw');
    const from = raw.frames.length;
    raw.send({ action: 10, channel: 'raw', params: { rewind: '1' } });
    const fresh = await raw.next((m) => m.action === 11, { from });
    expect(fresh.flags! & 2).toBe(2); // HAS_BACKLOG
    const rewound = await raw.next((m) => m.action === 15, { from });
    expect(rewound).toMatchObject({ channel: 'raw', messages: [{ name: 'kept' }] });
    expect(rewound.channelSerial).toBeUndefined();
    // Only the fresh attach was rewound.
    expect(raw.frames.filter((m) => m.action === 15)).toHaveLength(1);
  });
});
