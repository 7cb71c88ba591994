import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';
import { RawClient } from './raw-client.js';

/** Ably's documented per-channel and per-connection limits (docs: Platform → Limits). */
const ABLY_PRESENCE_MEMBERS = 200;
const ABLY_CHANNELS_PER_CONNECTION = 200;

describe.each(FORMATS)('limits over $name', ({ useBinaryProtocol }) => {
  test('maxPresenceMembers (default 200, as Ably): one more enter is NACKed 91003, nothing changes', async () => {
    const e = await emulator();
    expect(e.options.maxPresenceMembers).toBe(ABLY_PRESENCE_MEMBERS);
    const client = await realtime(e, { useBinaryProtocol });
    const channel = client.channels.get('full');
    await channel.attach();
    const ids = Array.from({ length: ABLY_PRESENCE_MEMBERS }, (_, i) => `m${i}`);
    await Promise.all(ids.map((id) => channel.presence.enterClient(id, 'x')));
    await expect(channel.presence.enterClient('one-more', 'x')).rejects.toMatchObject({
      code: 91003,
      statusCode: 400,
    });
    const after = e.channel('full');
    expect(after.metrics.presenceMembers).toBe(ABLY_PRESENCE_MEMBERS);
    expect(after.members.some((m) => m.clientId === 'one-more')).toBe(false);
    // Members already present can still update, and one leaving makes room for another.
    await channel.presence.updateClient('m0', 'y');
    await channel.presence.leaveClient('m1');
    await channel.presence.enterClient('one-more', 'x');
    expect(e.channel('full').metrics.presenceMembers).toBe(ABLY_PRESENCE_MEMBERS);
  });

  test('a limit reached: occupancy subscribers see no change, the set stays as it was', async () => {
    const e = await emulator({ maxPresenceMembers: 2 });
    const watcher = await realtime(e, { useBinaryProtocol });
    const watched = watcher.channels.get('small', { params: { occupancy: 'metrics' } });
    const occupancy: number[] = [];
    await watched.subscribe('[meta]occupancy', (m) => {
      const data = m.data as { metrics: { presenceMembers: number } };
      occupancy.push(data.metrics.presenceMembers);
    });
    const clients = await Promise.all(
      ['ann', 'bob', 'cat'].map((clientId) => realtime(e, { clientId, useBinaryProtocol })),
    );
    await clients[0]!.channels.get('small').presence.enter();
    await clients[1]!.channels.get('small').presence.enter();
    await vi.waitFor(() => expect(occupancy.at(-1)).toBe(2));
    const third = clients[2]!.channels.get('small');
    await expect(third.presence.enter({ hi: 1 })).rejects.toMatchObject({ code: 91003 });
    // The channel is still attached and usable; only the enter failed.
    expect(third.state).toBe('attached');
    await third.publish('still', 'here');
    expect((await watched.presence.get()).map((m) => m.clientId).sort()).toEqual(['ann', 'bob']);
    expect(e.channel('small').metrics.presenceMembers).toBe(2);
    expect(occupancy.every((n) => n <= 2)).toBe(true);
  });

  test('maxPresenceDataBytes: an enter or update past the total is NACKed 91006', async () => {
    const e = await emulator({ maxPresenceDataBytes: 10 });
    const client = await realtime(e, { useBinaryProtocol });
    const channel = client.channels.get('data');
    await channel.presence.enterClient('a', 'aaaaa');
    await expect(channel.presence.enterClient('b', 'bbbbbb')).rejects.toMatchObject({
      code: 91006,
      statusCode: 400,
    });
    await expect(channel.presence.updateClient('a', 'a'.repeat(11))).rejects.toMatchObject({
      code: 91006,
    });
    await channel.presence.enterClient('b', 'bbbbb');
    // Smaller data always fits; the space it frees can be used.
    await channel.presence.updateClient('a', 'a');
    await channel.presence.enterClient('c', 'cccc');
    expect(e.channel('data').members.map((m) => m.data)).toEqual(['a', 'bbbbb', 'cccc']);
  });

  test('maxChannelsPerConnection (default 200, as Ably): one more ATTACH fails that channel with 90010', async () => {
    const e = await emulator();
    expect(e.options.maxChannelsPerConnection).toBe(ABLY_CHANNELS_PER_CONNECTION);
    const client = await realtime(e, { useBinaryProtocol });
    const names = Array.from({ length: ABLY_CHANNELS_PER_CONNECTION }, (_, i) => `c${i}`);
    await Promise.all(names.map((name) => client.channels.get(name).attach()));
    const extra = client.channels.get('one-too-many');
    await expect(extra.attach()).rejects.toMatchObject({ code: 90010, statusCode: 400 });
    expect(extra.state).toBe('failed');
    expect(client.connection.state).toBe('connected');
    expect(client.channels.get('c0').state).toBe('attached');
    expect(e.channel('one-too-many').exists).toBe(false);
    // A re-attach of a channel it has is not a new one; a detach makes room.
    await client.channels.get('c0').detach();
    await extra.attach();
    expect(extra.state).toBe('attached');
  });

  test('maxInboundRate (off by default): frames past the rate are NACKed 42911, the connection lives on', async () => {
    const e = await emulator({ maxInboundRate: 5 });
    const client = await realtime(e, { useBinaryProtocol });
    const channel = client.channels.get('fast');
    await channel.attach();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => channel.publish('n', String(i))),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(5);
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 42911,
      statusCode: 429,
    });
    expect(client.connection.state).toBe('connected');
    // The budget refills at the rate: a later publish goes through.
    await vi.waitFor(() => channel.publish('later', 'x'), { timeout: 3000, interval: 100 });
    const unlimited = await emulator();
    expect(unlimited.options.maxInboundRate).toBe(0);
    const burst = (await realtime(unlimited, { useBinaryProtocol })).channels.get('fast');
    await Promise.all(Array.from({ length: 200 }, (_, i) => burst.publish('n', String(i))));
  });
});

test('a frame that leaves one member and enters another stays within the limit', async () => {
  const e = await emulator({ maxPresenceMembers: 1 });
  const raw = await RawClient.connect(e);
  await raw.next((m) => m.action === 4);
  raw.send({ action: 10, channel: 'swap' });
  await raw.next((m) => m.action === 11);
  raw.send({ action: 14, channel: 'swap', msgSerial: 0, presence: [{ action: 2, clientId: 'a' }] });
  await raw.next((m) => m.action === 1 && m.msgSerial === 0);
  raw.send({
    action: 14,
    channel: 'swap',
    msgSerial: 1,
    presence: [
      { action: 3, clientId: 'a' },
      { action: 2, clientId: 'b' },
    ],
  });
  await raw.next((m) => m.action === 1 && m.msgSerial === 1);
  raw.send({ action: 14, channel: 'swap', msgSerial: 2, presence: [{ action: 2, clientId: 'c' }] });
  const nack = await raw.next((m) => m.action === 2);
  expect(nack).toMatchObject({ msgSerial: 2, error: { code: 91003 } });
  expect(e.channel('swap').members.map((m) => m.clientId)).toEqual(['b']);
});

test('Ably.ErrorInfo carries the limit in its message', async () => {
  const e = await emulator({ maxPresenceMembers: 1 });
  const client = await realtime(e);
  const channel = client.channels.get('msg');
  await channel.presence.enterClient('a');
  const err = (await channel.presence.enterClient('b').catch((x: unknown) => x)) as Ably.ErrorInfo;
  expect(err.message).toContain('maximum number of 1 members exceeded');
});
