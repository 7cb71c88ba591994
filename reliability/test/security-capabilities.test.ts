import type { Emulator } from '@presencekit/ably-emulator';
import { ChatClient } from '@ably/chat';
import * as Ably from 'ably';
import { describe, expect, test } from 'vitest';

import { onCleanup } from '../harness/cleanup';
import { emulator } from '../harness/in-process-emulator';
import { closeRealtime } from '@presencekit/test-utils';

/**
 * Capability enforcement, operation by operation. For each operation the caller's token grants
 * every capability operation on the channel except the one(s) that operation needs — so a pass
 * proves the emulator checks that exact operation — and is refused with 40160; a token granting
 * only what it needs is let through. A narrower token from `auth.authorize()` binds channels that
 * are already attached. Realtime operations run in both wire formats.
 */

const ALL_OPS = ['subscribe', 'publish', 'presence', 'history', 'channel-metadata'] as const;
type Op = (typeof ALL_OPS)[number];

const CHANNEL = 'secure:room';

function except(...needed: Op[]): Op[] {
  return ALL_OPS.filter((op) => !needed.includes(op));
}

async function realtime(
  e: Emulator,
  ops: readonly string[],
  extra: Ably.ClientOptions = {},
  clientId = 'caller',
): Promise<Ably.Realtime> {
  const capability = ops.length > 0 ? { [CHANNEL]: [...ops] } : { 'elsewhere:*': ['*'] };
  const token = e.createToken({ clientId, capability });
  const client = new Ably.Realtime(
    e.clientOptions({ key: undefined, token: token.token, logLevel: 0, ...extra }),
  );
  onCleanup(() => closeRealtime(client));
  await client.connection.once('connected');
  return client;
}

function rest(e: Emulator, ops: readonly string[], clientId?: string): Ably.Rest {
  const capability = ops.length > 0 ? { [CHANNEL]: [...ops] } : { 'elsewhere:*': ['*'] };
  const token = e.createToken({ ...(clientId ? { clientId } : {}), capability });
  return new Ably.Rest(e.clientOptions({ key: undefined, token: token.token, logLevel: 0 }));
}

/** A full-capability client that publishes and is present on the channel (by key). */
async function other(e: Emulator, useBinaryProtocol: boolean): Promise<Ably.RealtimeChannel> {
  const client = new Ably.Realtime(
    e.clientOptions({ clientId: 'other', useBinaryProtocol, logLevel: 0 }),
  );
  onCleanup(() => closeRealtime(client));
  const channel = client.channels.get(CHANNEL);
  await channel.attach();
  return channel;
}

/**
 * Proves a client received nothing: a control subscriber got the event first, and a ping on the
 * client's own socket came back after it (the server writes to each socket in order, and it
 * fanned the event out before the control subscriber could see it).
 */
async function barrier(client: Ably.Realtime): Promise<void> {
  await client.connection.ping();
}

const DENIED = { code: 40160 };

describe.each([
  { format: 'msgpack', useBinaryProtocol: true },
  { format: 'json', useBinaryProtocol: false },
])('realtime over $format', ({ useBinaryProtocol }) => {
  test('attach: refused without any operation on the channel, allowed with any one', async () => {
    const e = await emulator();
    const denied = await realtime(e, [], { useBinaryProtocol });
    await expect(denied.channels.get(CHANNEL).attach()).rejects.toMatchObject(DENIED);
    expect(denied.connection.state).toBe('connected');
    for (const op of ALL_OPS) {
      const allowed = await realtime(e, [op], { useBinaryProtocol });
      await allowed.channels.get(CHANNEL).attach();
    }
    expect(e.channel(CHANNEL).metrics.connections).toBe(ALL_OPS.length);
  });

  test.each([
    ['enter', (p: Ably.RealtimePresence) => p.enter('x')],
    ['update', (p: Ably.RealtimePresence) => p.update('x')],
    ['leave', (p: Ably.RealtimePresence) => p.leave()],
  ])('presence %s needs "presence"', async (_name, act) => {
    const e = await emulator();
    const denied = await realtime(e, except('presence'), { useBinaryProtocol });
    // Attached first: ably-js itself refuses a leave on a channel it never attached.
    await denied.channels.get(CHANNEL).attach();
    await expect(act(denied.channels.get(CHANNEL).presence)).rejects.toMatchObject(DENIED);
    expect(e.channel(CHANNEL).members).toEqual([]);
    const allowed = await realtime(e, ['presence'], { useBinaryProtocol });
    await allowed.channels.get(CHANNEL).presence.enter('in');
    await act(allowed.channels.get(CHANNEL).presence);
    expect(denied.connection.state).toBe('connected');
  });

  test.each([
    ['enterClient', (p: Ably.RealtimePresence) => p.enterClient('someone', 'x')],
    ['updateClient', (p: Ably.RealtimePresence) => p.updateClient('someone', 'x')],
    ['leaveClient', (p: Ably.RealtimePresence) => p.leaveClient('someone')],
  ])('presence %s needs "presence" (wildcard token)', async (_name, act) => {
    const e = await emulator();
    const denied = await realtime(e, except('presence'), { useBinaryProtocol }, '*');
    await denied.channels.get(CHANNEL).attach();
    await expect(act(denied.channels.get(CHANNEL).presence)).rejects.toMatchObject(DENIED);
    expect(e.channel(CHANNEL).members).toEqual([]);
    const allowed = await realtime(e, ['presence'], { useBinaryProtocol }, '*');
    await allowed.channels.get(CHANNEL).attach();
    await act(allowed.channels.get(CHANNEL).presence);
  });

  test('publish needs "publish"; nothing is stored or delivered when refused', async () => {
    const e = await emulator();
    const watcher = await other(e, useBinaryProtocol);
    const seen: string[] = [];
    await watcher.subscribe((m) => seen.push(m.name ?? ''));
    const denied = await realtime(e, except('publish'), { useBinaryProtocol });
    await expect(denied.channels.get(CHANNEL).publish('denied', 'x')).rejects.toMatchObject(DENIED);
    const allowed = await realtime(e, ['publish'], { useBinaryProtocol });
    await allowed.channels.get(CHANNEL).publish('allowed', 'x');
    await expect.poll(() => seen).toEqual(['allowed']);
    expect(e.channel(CHANNEL).messageCount).toBe(1);
  });

  test('receiving messages and presence events needs "subscribe"', async () => {
    const e = await emulator();
    const source = await other(e, useBinaryProtocol);
    const control = await realtime(e, ['subscribe'], { useBinaryProtocol });
    const blind = await realtime(e, except('subscribe'), { useBinaryProtocol });
    const got = { control: [] as string[], blind: [] as string[] };
    for (const [name, client] of [
      ['control', control],
      ['blind', blind],
    ] as const) {
      const ch = client.channels.get(CHANNEL);
      await ch.subscribe((m) => got[name].push(`msg:${m.name}`));
      await ch.presence.subscribe((m) => got[name].push(`presence:${m.action}`));
    }
    expect(blind.channels.get(CHANNEL).modes).not.toContain('subscribe');
    expect(blind.channels.get(CHANNEL).modes).not.toContain('presence_subscribe');
    await source.publish('hello', 'x');
    await source.presence.enter('here');
    await expect.poll(() => got.control).toEqual(['msg:hello', 'presence:enter']);
    await barrier(blind);
    expect(got.blind).toEqual([]);
  });

  test('occupancy events need "subscribe" and "channel-metadata"', async () => {
    const e = await emulator();
    const events = { control: 0, noSubscribe: 0, noMetadata: 0 };
    const watch = async (name: keyof typeof events, ops: Op[]) => {
      const client = await realtime(e, ops, { useBinaryProtocol });
      const ch = client.channels.get(CHANNEL, { params: { occupancy: 'metrics' } });
      await ch.subscribe('[meta]occupancy', () => events[name]++);
      return client;
    };
    await watch('control', ['subscribe', 'channel-metadata']);
    const noSubscribe = await watch('noSubscribe', except('subscribe'));
    const noMetadata = await watch('noMetadata', except('channel-metadata'));
    const source = await other(e, useBinaryProtocol);
    await source.presence.enter('here');
    await expect.poll(() => events.control).toBeGreaterThan(0);
    await barrier(noSubscribe);
    await barrier(noMetadata);
    expect(events).toMatchObject({ noSubscribe: 0, noMetadata: 0 });
  });

  test('requested modes are narrowed to the capability; publishing needs the PUBLISH mode', async () => {
    const e = await emulator();
    // A subscribe-only token asking for presence alone: nothing left to grant.
    const narrow = await realtime(e, ['subscribe'], { useBinaryProtocol });
    await expect(
      narrow.channels.get(CHANNEL, { modes: ['PRESENCE'] }).attach(),
    ).rejects.toMatchObject(DENIED);
    // Full capability, but attached for subscribing only: publishes on it are refused.
    const full = await realtime(e, [...ALL_OPS], { useBinaryProtocol });
    const ch = full.channels.get(CHANNEL, { modes: ['SUBSCRIBE'] });
    await ch.attach();
    expect(ch.modes).toEqual(['subscribe']);
    await expect(ch.publish('x', 'y')).rejects.toMatchObject(DENIED);
    await expect(ch.presence.enter()).rejects.toMatchObject(DENIED);
  });

  test('a narrower token from auth.authorize() binds attached channels at once', async () => {
    const e = await emulator();
    let ops: string[] = [...ALL_OPS];
    const client = new Ably.Realtime(
      e.clientOptions({
        key: undefined,
        logLevel: 0,
        useBinaryProtocol,
        authCallback: (_params, cb) => {
          const capability = ops.length > 0 ? { [CHANNEL]: ops } : { 'elsewhere:*': ['*'] };
          cb(null, e.createToken({ clientId: 'caller', capability }).token);
        },
      }),
    );
    onCleanup(() => closeRealtime(client));
    const ch = client.channels.get(CHANNEL);
    await ch.presence.enter('here');
    const got: string[] = [];
    await ch.subscribe((m) => got.push(m.name ?? ''));
    const source = await other(e, useBinaryProtocol);

    // Subscribe only: publishing and presence are refused, and the member is gone.
    ops = ['subscribe'];
    await client.auth.authorize();
    await expect(ch.publish('denied', 'x')).rejects.toMatchObject(DENIED);
    await expect(ch.presence.enter('again')).rejects.toMatchObject(DENIED);
    expect(e.channel(CHANNEL).members).toEqual([]);
    await source.publish('still-allowed', 'x');
    await expect.poll(() => got).toEqual(['still-allowed']);

    // Nothing on the channel: it fails with 40160 (RTC8a1) and receives nothing more.
    ops = [];
    await client.auth.authorize();
    await expect.poll(() => ch.state).toBe('failed');
    expect(ch.errorReason).toMatchObject(DENIED);
    expect(e.channel(CHANNEL).metrics.connections).toBe(1);
    await source.publish('after', 'x');
    await barrier(client);
    expect(got).toEqual(['still-allowed']);
    expect(e.channel(CHANNEL).messageCount).toBe(2);
  });

  test('history over the realtime client needs "history"', async () => {
    const e = await emulator();
    const denied = await realtime(e, except('history'), { useBinaryProtocol });
    await expect(denied.channels.get(CHANNEL).history()).rejects.toMatchObject(DENIED);
    const allowed = await realtime(e, ['history'], { useBinaryProtocol });
    expect((await allowed.channels.get(CHANNEL).history()).items).toEqual([]);
  });
});

describe('REST', () => {
  test.each<[string, Op[], (r: Ably.Rest) => Promise<unknown>]>([
    ['presence.get', ['subscribe', 'presence'], (r) => r.channels.get(CHANNEL).presence.get()],
    ['presence.history', ['history'], (r) => r.channels.get(CHANNEL).presence.history()],
    ['history', ['history'], (r) => r.channels.get(CHANNEL).history()],
    ['publish', ['publish'], (r) => r.channels.get(CHANNEL).publish('n', 'd')],
    ['channel details', ['channel-metadata'], (r) => r.channels.get(CHANNEL).status()],
  ])('%s needs %j', async (_name, needs, act) => {
    const e = await emulator();
    await expect(act(rest(e, except(...needs), 'caller'))).rejects.toMatchObject({
      code: 40160,
      statusCode: 401,
    });
    for (const op of needs) await act(rest(e, [op], 'caller'));
  });

  test('batch presence: a channel the caller may not read fails alone (40160)', async () => {
    const e = await emulator();
    const present = await other(e, true);
    await present.presence.enter('x');
    // ably-js types the answer as an array; at runtime it is one BatchResult.
    type Batch = Ably.BatchResult<
      Ably.BatchPresenceSuccessResult | Ably.BatchPresenceFailureResult
    >;
    const batch = async (ops: Op[]) =>
      (await rest(e, ops).batchPresence([CHANNEL])) as unknown as Batch;
    const denied = await batch(except('subscribe', 'presence'));
    expect(denied.failureCount).toBe(1);
    expect(denied.results[0]).toMatchObject({ channel: CHANNEL, error: { code: 40160 } });
    const allowed = await batch(['presence']);
    expect(allowed.successCount).toBe(1);
    expect(
      (allowed.results[0] as Ably.BatchPresenceSuccessResult).presence.map((m) => m.clientId),
    ).toEqual(['other']);
  });

  test('chat occupancy (REST) needs "channel-metadata" on the room channel', async () => {
    const e = await emulator();
    const chatFor = async (ops: readonly string[]) => {
      const token = e.createToken({ clientId: 'chat', capability: { 'lobby::$chat': [...ops] } });
      const client = new Ably.Realtime(
        e.clientOptions({ key: undefined, token: token.token, logLevel: 0 }),
      );
      onCleanup(() => closeRealtime(client));
      return (await new ChatClient(client).rooms.get('lobby')).occupancy;
    };
    await expect((await chatFor(except('channel-metadata'))).get()).rejects.toMatchObject({
      code: 40160,
    });
    expect(await (await chatFor(['channel-metadata'])).get()).toEqual({
      connections: 0,
      presenceMembers: 0,
    });
  });

  test('a token never grants more than its key: capabilities intersect', async () => {
    const e = await emulator();
    const app = e.createApp({ keys: [{ capability: '{"chat:*":["subscribe","presence"]}' }] });
    const keyClient = new Ably.Rest(e.clientOptions({ key: app.keys[0]!.keyStr, logLevel: 0 }));
    const details = await keyClient.auth.requestToken({ capability: { '*': ['*'] } });
    expect(JSON.parse(details.capability)).toEqual({ 'chat:*': ['presence', 'subscribe'] });
    const tokenClient = new Ably.Rest(
      e.clientOptions({ key: undefined, token: details.token, logLevel: 0 }),
    );
    await expect(tokenClient.channels.get('chat:a').publish('x', 'y')).rejects.toMatchObject(
      DENIED,
    );
    await expect(tokenClient.channels.get('other').presence.get()).rejects.toMatchObject(DENIED);
    // Asking for nothing the key has is refused outright.
    await expect(
      keyClient.auth.requestToken({ capability: { other: ['publish'] } }),
    ).rejects.toMatchObject(DENIED);
  });
});
