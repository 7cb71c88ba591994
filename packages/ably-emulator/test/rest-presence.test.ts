import type * as Ably from 'ably';
import { describe, expect, test } from 'vitest';
import { emulator, FORMATS, realtime, rest } from './helpers.js';

const ids = (page: Ably.PaginatedResult<Ably.PresenceMessage>) =>
  page.items.map((m) => `${m.action}:${m.clientId}`);

describe.each(FORMATS)('REST presence over $name', ({ useBinaryProtocol }) => {
  test('presence history: events newest first, Link pagination, direction, filters', async () => {
    const e = await emulator();
    const service = await realtime(e, { useBinaryProtocol });
    const presence = service.channels.get('hist').presence;
    await presence.enterClient('a', { n: 1 });
    await presence.enterClient('b');
    await presence.updateClient('a', { n: 2 });
    await presence.leaveClient('b');
    await presence.enterClient('c');

    const client = rest(e, { useBinaryProtocol });
    const ch = client.channels.get('hist');
    const p1 = await ch.presence.history({ limit: 2 });
    expect(ids(p1)).toEqual(['enter:c', 'leave:b']);
    expect(p1.hasNext()).toBe(true);
    const p2 = (await p1.next())!;
    expect(ids(p2)).toEqual(['update:a', 'enter:b']);
    expect(p2.items[0]!.data).toEqual({ n: 2 });
    const p3 = (await p2.next())!;
    expect(ids(p3)).toEqual(['enter:a']);
    expect(p3.hasNext()).toBe(false);
    expect(await p3.next()).toBeNull();
    expect(ids(await p3.first())).toEqual(['enter:c', 'leave:b']);

    const forwards = await ch.presence.history({ direction: 'forwards', limit: 3 });
    expect(ids(forwards)).toEqual(['enter:a', 'enter:b', 'update:a']);
    expect(ids((await forwards.next())!)).toEqual(['leave:b', 'enter:c']);

    // clientId / connectionId filters (not in ably's typings) are repeated in every link.
    const params = { clientId: 'a', limit: 1 } as Ably.RestHistoryParams;
    const onlyA = await ch.presence.history(params);
    expect(ids(onlyA)).toEqual(['update:a']);
    const onlyA2 = (await onlyA.next())!;
    expect(ids(onlyA2)).toEqual(['enter:a']);
    expect(onlyA2.hasNext()).toBe(false);
    const byConn = { connectionId: service.connection.id! } as Ably.RestHistoryParams;
    expect((await ch.presence.history(byConn)).items).toHaveLength(5);

    const all = (await ch.presence.history({ direction: 'forwards' })).items;
    const window = await ch.presence.history({
      start: all[1]!.timestamp,
      end: all[1]!.timestamp,
      direction: 'forwards',
    });
    expect(window.items.map((m) => m.id)).toContain(all[1]!.id);
    expect(window.items.every((m) => m.timestamp === all[1]!.timestamp)).toBe(true);

    // Realtime presence.history goes through the same endpoint.
    const viaRealtime = await presence.history({ limit: 4 });
    expect(ids(viaRealtime)).toEqual(['enter:c', 'leave:b', 'update:a', 'enter:b']);
  });

  test('REST presence get pages through a large set with next()/first()', async () => {
    const e = await emulator();
    const service = await realtime(e, { useBinaryProtocol });
    const presence = service.channels.get('crowd').presence;
    await Promise.all(Array.from({ length: 25 }, (_, i) => presence.enterClient(`u${i}`)));
    const ch = rest(e, { useBinaryProtocol }).channels.get('crowd');
    const seen: string[] = [];
    let page: Ably.PaginatedResult<Ably.PresenceMessage> | null = await ch.presence.get({
      limit: 10,
    });
    let pages = 0;
    while (page) {
      pages++;
      seen.push(...page.items.map((m) => m.clientId));
      page = page.hasNext() ? await page.next() : null;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `u${i}`).sort());
  });

  test('batch presence: per-channel members or error, HTTP 200, body undecoded', async () => {
    const e = await emulator();
    const service = await realtime(e, { useBinaryProtocol });
    await service.channels.get('room:1').presence.enterClient('ann', { mood: 'ok' });
    await service.channels.get('room:1').presence.enterClient('ben');
    await service.channels.get('secret').presence.enterClient('spy');
    const token = e.createToken({ capability: { 'room:*': ['subscribe'] } });
    const client = rest(e, { key: undefined, token: token.token, useBinaryProtocol });

    // ably's typings say an array, but ably-js returns the server's one BatchResult as is.
    const result = (await client.batchPresence([
      'room:1',
      'room:empty',
      'secret',
    ])) as unknown as Ably.BatchResult<
      Ably.BatchPresenceSuccessResult | Ably.BatchPresenceFailureResult
    >;
    expect(result.successCount).toBe(2);
    expect(result.failureCount).toBe(1);
    const [one, empty, secret] = result.results;
    expect(one).toMatchObject({ channel: 'room:1' });
    const members = (one as Ably.BatchPresenceSuccessResult).presence;
    expect(members.map((m) => m.clientId)).toEqual(['ann', 'ben']);
    // Undecoded wire form: numeric action, JSON data still a string with encoding "json".
    expect(members[0]).toMatchObject({ action: 1, encoding: 'json' });
    expect(JSON.parse(members[0]!.data as string)).toEqual({ mood: 'ok' });
    expect(empty).toEqual({ channel: 'room:empty', presence: [] });
    expect(secret).toMatchObject({
      channel: 'secret',
      error: { code: 40160, statusCode: 401 },
    });
    expect((secret as Ably.BatchPresenceFailureResult).error.message).toContain('secret');
  });
});

test('presence history retention: short on ordinary channels, longer in a persisted namespace', async () => {
  const e = await emulator({ historyRetentionMs: 1_500, persistedHistoryRetentionMs: 60_000 });
  const app = e.createApp({ namespaces: [{ id: 'persisted', persisted: true }] });
  const key = app.keys[0]!.keyStr;
  const service = await realtime(e, { key });
  await service.channels.get('short').presence.enterClient('x');
  await service.channels.get('persisted:long').presence.enterClient('y');
  await service.channels.get('short').publish('m', 'kept briefly');
  await service.channels.get('persisted:long').publish('m', 'kept');

  const client = rest(e, { key });
  const short = client.channels.get('short');
  const counts = async () => [
    (await short.presence.history()).items.length,
    (await short.history()).items.length,
  ];
  expect(await counts()).toEqual([1, 1]);
  await expect.poll(counts, { timeout: 10_000, interval: 200 }).toEqual([0, 0]);
  // Well past the ordinary retention, the persisted namespace still has both histories.
  expect(
    (await client.channels.get('persisted:long').presence.history()).items.map((m) => m.clientId),
  ).toEqual(['y']);
  expect((await client.channels.get('persisted:long').history()).items).toHaveLength(1);
});
