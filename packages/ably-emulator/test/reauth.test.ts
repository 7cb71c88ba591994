import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';
import { RawClient } from './raw-client.js';

type Capability = Record<string, string[]>;

/**
 * A client whose authCallback hands out a token for `alice` with whatever capability the test
 * has set, so `auth.authorize()` (AUTH) and renewals carry the capability of the moment.
 */
async function alice(
  e: Awaited<ReturnType<typeof emulator>>,
  useBinaryProtocol: boolean,
  first: Capability,
  ttl = 60_000,
) {
  const tokens = { capability: first, ttl };
  const client = await realtime(e, {
    key: undefined,
    useBinaryProtocol,
    authCallback: (_params, cb) =>
      cb(
        null,
        e.createToken({ clientId: 'alice', capability: tokens.capability, ttl: tokens.ttl }),
      ),
  });
  return { client, tokens };
}

describe.each(FORMATS)('re-authentication over $name', ({ useBinaryProtocol }) => {
  test('a narrower token fails channels it no longer allows (40160) and narrows the others', async () => {
    const e = await emulator();
    const { client, tokens } = await alice(e, useBinaryProtocol, { room: ['*'], lobby: ['*'] });
    const room = client.channels.get('room');
    const lobby = client.channels.get('lobby');
    await room.presence.enter('in room');
    await lobby.presence.enter('in lobby');
    const received: string[] = [];
    await room.subscribe((m) => received.push(`room:${m.name}`));
    await lobby.subscribe((m) => received.push(`lobby:${m.name}`));

    const watcher = await realtime(e, { clientId: 'watcher', useBinaryProtocol });
    const occupancy: number[] = [];
    await watcher.channels
      .get('room', { params: { occupancy: 'metrics' } })
      .subscribe('[meta]occupancy', (m) =>
        occupancy.push((m.data as { metrics: { connections: number } }).metrics.connections),
      );
    await vi.waitFor(() => expect(occupancy.at(-1)).toBe(2));
    const seen: string[] = [];
    for (const name of ['room', 'lobby']) {
      await watcher.channels
        .get(name)
        .presence.subscribe((m) => seen.push(`${name}:${m.action}:${m.clientId}`));
    }

    let failed: Ably.ChannelStateChange | undefined;
    room.once('failed', (change) => (failed = change));
    const id = client.connection.id;
    tokens.capability = { lobby: ['subscribe'] };
    await client.auth.authorize();
    expect(client.connection.state).toBe('connected');
    expect(client.connection.id).toBe(id);

    // RTC8a1: the channel the token no longer allows fails, the reason in its state change.
    await vi.waitFor(() => expect(room.state).toBe('failed'));
    expect(failed?.reason).toMatchObject({ code: 40160, statusCode: 401 });
    expect(room.errorReason?.code).toBe(40160);
    // Its members leave (server LEAVEs), and so do those of a channel whose PRESENCE mode went.
    await vi.waitFor(() => expect(seen).toEqual(expect.arrayContaining(['room:leave:alice'])));
    await vi.waitFor(() => expect(seen).toEqual(expect.arrayContaining(['lobby:leave:alice'])));
    expect(e.channel('room').members).toEqual([]);
    expect(e.channel('lobby').members).toEqual([]);
    expect(e.channel('room').metrics).toMatchObject({ connections: 1, presenceMembers: 0 });
    await vi.waitFor(() => expect(occupancy.at(-1)).toBe(1));
    expect(e.channel('lobby').metrics).toMatchObject({
      connections: 2,
      publishers: 1,
      presenceConnections: 1,
      subscribers: 2,
    });

    // lobby is still attached, for subscribing only.
    expect(lobby.state).toBe('attached');
    await expect(lobby.publish('denied', 'x')).rejects.toMatchObject({ code: 40160 });
    await expect(lobby.presence.enter('again')).rejects.toMatchObject({ code: 40160 });
    await watcher.channels.get('lobby').publish('to-lobby', 'x');
    await watcher.channels.get('room').publish('to-room', 'x');
    await vi.waitFor(() => expect(received).toEqual(['lobby:to-lobby']));
    await expect(room.attach()).rejects.toMatchObject({ code: 40160 });
    expect(e.channel('lobby').messageCount).toBe(1);
  });

  test('a wider token widens the modes of an attached channel without a re-attach', async () => {
    const e = await emulator();
    const { client, tokens } = await alice(e, useBinaryProtocol, { lobby: ['subscribe'] });
    const lobby = client.channels.get('lobby');
    await lobby.attach();
    await expect(lobby.publish('early', 'x')).rejects.toMatchObject({ code: 40160 });
    tokens.capability = { lobby: ['subscribe', 'publish'] };
    await client.auth.authorize();
    await lobby.publish('later', 'x');
    expect(e.channel('lobby').messageCount).toBe(1);
    expect(e.channel('lobby').metrics).toMatchObject({ connections: 1, publishers: 1 });
    // Modes the client asked for stay the limit: a subscribe-only attachment stays one.
    const asked = client.channels.get('asked', { modes: ['SUBSCRIBE'] });
    tokens.capability = { lobby: ['subscribe', 'publish'], asked: ['subscribe'] };
    await client.auth.authorize();
    await asked.attach();
    tokens.capability = { lobby: ['subscribe', 'publish'], asked: ['*'] };
    await client.auth.authorize();
    await expect(asked.publish('x', 'y')).rejects.toMatchObject({ code: 40160 });
    expect(e.channel('asked').metrics).toMatchObject({ connections: 1, publishers: 0 });
  });

  test('a token renewed through a resume is held to its capability too', async () => {
    const e = await emulator();
    const { client, tokens } = await alice(e, useBinaryProtocol, { room: ['*'] }, 1_500);
    const room = client.channels.get('room');
    await room.presence.enter('here');
    const id = client.connection.id;
    // At expiry the server sends DISCONNECTED 40142; the SDK renews and resumes.
    tokens.capability = { elsewhere: ['*'] };
    tokens.ttl = 60_000;
    await vi.waitFor(() => expect(room.state).toBe('failed'), { timeout: 10_000 });
    expect(room.errorReason?.code).toBe(40160);
    expect(client.connection.id).toBe(id);
    expect(e.channel('room').members).toEqual([]);
    expect(e.channel('room').metrics.connections).toBe(0);
  });
});

test('raw protocol: after AUTH a channel the new token denies gets ERROR 40160, and nothing else', async () => {
  const e = await emulator();
  const first = e.createToken({ clientId: 'raw', capability: { room: ['*'], lobby: ['*'] } });
  const raw = await RawClient.connect(e, { key: '', access_token: first.token });
  await raw.next((m) => m.action === 4);
  for (const channel of ['room', 'lobby']) {
    raw.send({ action: 10, channel });
    await raw.next((m) => m.action === 11 && m.channel === channel);
  }
  raw.send({ action: 14, channel: 'room', msgSerial: 0, presence: [{ action: 2 }] });
  await raw.next((m) => m.action === 1 && m.msgSerial === 0);
  expect(e.channel('room').members.map((m) => m.clientId)).toEqual(['raw']);

  const from = raw.frames.length;
  const second = e.createToken({ clientId: 'raw', capability: { lobby: ['subscribe'] } });
  raw.send({ action: 17, auth: { accessToken: second.token } });
  await raw.next((m) => m.action === 4, { from });
  const error = await raw.next((m) => m.action === 9, { from });
  expect(error).toMatchObject({ channel: 'room', error: { code: 40160, statusCode: 401 } });
  expect(e.channel('room').members).toEqual([]);

  // Publishing and presence are refused on both channels; the connection lives on.
  raw.send({ action: 15, channel: 'room', msgSerial: 1, messages: [{ name: 'n' }] });
  raw.send({ action: 14, channel: 'room', msgSerial: 2, presence: [{ action: 2 }] });
  raw.send({ action: 15, channel: 'lobby', msgSerial: 3, messages: [{ name: 'n' }] });
  raw.send({ action: 14, channel: 'lobby', msgSerial: 4, presence: [{ action: 2 }] });
  for (const msgSerial of [1, 3, 4]) {
    const nack = await raw.next((m) => m.action === 2 && m.msgSerial === msgSerial, { from });
    expect(nack.error, `msgSerial ${msgSerial}`).toMatchObject({ code: 40160 });
  }
  // The failed channel is no longer attached: presence there is refused as such (90001).
  expect(
    (await raw.next((m) => m.action === 2 && m.msgSerial === 2, { from })).error,
  ).toMatchObject({ code: 90001 });
  expect(raw.frames.slice(from).filter((m) => m.action === 1)).toEqual([]);
  expect(e.channel('room').messageCount + e.channel('lobby').messageCount).toBe(0);

  // Messages reach lobby (still subscribed) and never room; a ping reply marks "all sent".
  const publisher = await realtime(e);
  await publisher.channels.get('room').publish('to-room', 'x');
  await publisher.channels.get('lobby').publish('to-lobby', 'x');
  await raw.next((m) => m.action === 15 && m.channel === 'lobby', { from });
  raw.send({ action: 0, id: 'barrier' });
  await raw.next((m) => m.action === 0 && m.id === 'barrier', { from });
  expect(raw.frames.slice(from).filter((m) => m.action === 15 && m.channel === 'room')).toEqual([]);
});
