import type * as Ably from 'ably';
import { describe, expect, test } from 'vitest';
import { emulator, FORMATS, realtime, rest } from './helpers.js';

/** Resolves with the first `n` messages a realtime channel receives. */
function collect(channel: Ably.RealtimeChannel, n: number): Promise<Ably.InboundMessage[]> {
  const got: Ably.InboundMessage[] = [];
  return new Promise((resolve) => {
    void channel.subscribe((m) => {
      got.push(m);
      if (got.length === n) resolve(got);
    });
  });
}

describe.each(FORMATS)('REST messages over $name', ({ useBinaryProtocol }) => {
  test('publish one and an array: 201 with serials, realtime delivery, history', async () => {
    const e = await emulator();
    // The subscriber uses the other wire format: bytes and JSON cross formats.
    const listener = await realtime(e, { useBinaryProtocol: !useBinaryProtocol });
    const sub = listener.channels.get('news');
    await sub.attach();
    const received = collect(sub, 3);

    const client = rest(e, { useBinaryProtocol });
    const ch = client.channels.get('news');
    const one = await ch.publish('headline', { text: 'hello' });
    expect(one.serials).toHaveLength(1);
    expect(one.serials[0]).toEqual(expect.any(String));
    const many = await ch.publish([
      { name: 'bytes', data: Buffer.from([1, 2, 3]) },
      { name: 'text', data: 'plain' },
    ]);
    expect(many.serials).toHaveLength(2);
    expect(new Set([...one.serials, ...many.serials]).size).toBe(3);

    const live = await received;
    expect(live.map((m) => m.name)).toEqual(['headline', 'bytes', 'text']);
    expect(live[0]!.data).toEqual({ text: 'hello' });
    expect(Buffer.from(live[1]!.data as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    expect(live.map((m) => m.serial)).toEqual([...one.serials, ...many.serials]);
    // REST ids are `<base>:<index>`, the same base within one publish.
    const [base1, base2] = [live[1]!.id.split(':')[0], live[2]!.id.split(':')[0]];
    expect(live[1]!.id).toMatch(/:0$/);
    expect(live[2]!.id).toMatch(/:1$/);
    expect(base1).toBe(base2);

    const history = await ch.history();
    expect(history.items.map((m) => m.name)).toEqual(['text', 'bytes', 'headline']);
    expect(history.items[2]!.data).toEqual({ text: 'hello' });
    expect(Buffer.from(history.items[1]!.data as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    expect(history.items.every((m) => typeof m.timestamp === 'number')).toBe(true);
  });

  test('history: pagination across pages both ways, start/end, realtime history', async () => {
    const e = await emulator();
    const client = rest(e, { useBinaryProtocol });
    const ch = client.channels.get('pages');
    for (let i = 0; i < 7; i++) await ch.publish(`m${i}`, String(i));
    const names = (page: Ably.PaginatedResult<Ably.InboundMessage>) =>
      page.items.map((m) => m.name);

    const p1 = await ch.history({ limit: 3 });
    expect(names(p1)).toEqual(['m6', 'm5', 'm4']);
    expect(p1.hasNext()).toBe(true);
    const p2 = (await p1.next())!;
    expect(names(p2)).toEqual(['m3', 'm2', 'm1']);
    const p3 = (await p2.next())!;
    expect(names(p3)).toEqual(['m0']);
    expect(p3.hasNext()).toBe(false);
    expect(p3.isLast()).toBe(true);
    expect(await p3.next()).toBeNull();
    expect(names(await p3.first())).toEqual(['m6', 'm5', 'm4']);

    const f1 = await ch.history({ limit: 4, direction: 'forwards' });
    expect(names(f1)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(names((await f1.next())!)).toEqual(['m4', 'm5', 'm6']);

    const all = (await ch.history({ direction: 'forwards' })).items;
    const window = await ch.history({
      start: all[2]!.timestamp,
      end: all[4]!.timestamp,
      direction: 'forwards',
    });
    // Timestamps may repeat within a millisecond, so compare against the same filter.
    expect(names(window)).toEqual(
      all
        .filter((m) => m.timestamp >= all[2]!.timestamp && m.timestamp <= all[4]!.timestamp)
        .map((m) => m.name),
    );
    expect(names(window)).toEqual(expect.arrayContaining(['m2', 'm3', 'm4']));

    const rt = await realtime(e, { useBinaryProtocol });
    const viaRealtime = await rt.channels.get('pages').history({ limit: 2 });
    expect(names(viaRealtime)).toEqual(['m6', 'm5']);
    expect(names((await viaRealtime.next())!)).toEqual(['m4', 'm3']);
  });

  test('history untilAttach (from_serial) stops at the attach point', async () => {
    const e = await emulator();
    const publisher = rest(e, { useBinaryProtocol });
    await publisher.channels.get('ua').publish('before-1', '1');
    await publisher.channels.get('ua').publish('before-2', '2');
    const rt = await realtime(e, { useBinaryProtocol });
    const ch = rt.channels.get('ua');
    await ch.attach();
    const after = collect(ch, 1);
    await publisher.channels.get('ua').publish('after', '3');
    await after;
    expect((await ch.history()).items.map((m) => m.name)).toEqual([
      'after',
      'before-2',
      'before-1',
    ]);
    const until = await ch.history({ untilAttach: true, limit: 1 });
    expect(until.items.map((m) => m.name)).toEqual(['before-2']);
    expect(until.items.map((m) => m.name)).not.toContain('after');
    // The next page keeps the from_serial filter (the Link repeats it).
    expect((await until.next())!.items.map((m) => m.name)).toEqual(['before-1']);
  });

  test('idempotent publishing: the same ids twice are stored and delivered once', async () => {
    const e = await emulator();
    const listener = await realtime(e, { useBinaryProtocol });
    const sub = listener.channels.get('idem');
    await sub.attach();
    const got: string[] = [];
    await sub.subscribe((m) => got.push(m.id));

    const ch = rest(e, { useBinaryProtocol }).channels.get('idem');
    const messages = [
      { id: 'fixed:0', name: 'a', data: '1' },
      { id: 'fixed:1', name: 'b', data: '2' },
    ];
    const first = await ch.publish(messages);
    const again = await ch.publish(messages);
    expect(again.serials).toEqual(first.serials);
    await ch.publish('marker', 'after');
    await expect.poll(() => got.length).toBe(3);
    expect(got.slice(0, 2)).toEqual(['fixed:0', 'fixed:1']);
    expect((await ch.history()).items.map((m) => m.name)).toEqual(['marker', 'b', 'a']);
  });

  test('clientId: from ClientOptions (X-Ably-ClientId), bound tokens enforced (40012)', async () => {
    const e = await emulator();
    const alice = rest(e, { useBinaryProtocol, clientId: 'alice' });
    await alice.channels.get('ids').publish('hi', 'from alice');
    const anyone = rest(e, { useBinaryProtocol });
    await anyone.channels.get('ids').publish({ name: 'as-carol', data: 'x', clientId: 'carol' });
    const items = (await anyone.channels.get('ids').history({ direction: 'forwards' })).items;
    expect(items.map((m) => m.clientId)).toEqual(['alice', 'carol']);

    // A token bound to bob may not publish as mallory (the raw token string hides the clientId
    // from ably-js, so the emulator is the one refusing).
    const bob = e.createToken({ clientId: 'bob' });
    const asBob = rest(e, { key: undefined, token: bob.token, useBinaryProtocol });
    await expect(
      asBob.channels.get('ids').publish({ name: 'x', data: '1', clientId: 'mallory' }),
    ).rejects.toMatchObject({ code: 40012, statusCode: 400 });
    await asBob.channels.get('ids').publish('mine', '1');
    const last = (await anyone.channels.get('ids').history({ limit: 1 })).items[0]!;
    expect(last).toMatchObject({ name: 'mine', clientId: 'bob' });
  });

  test('capability: publish and history need their operations (40160)', async () => {
    const e = await emulator();
    const token = e.createToken({ capability: { '*': ['subscribe'] } });
    const limited = rest(e, { key: undefined, token: token.token, useBinaryProtocol });
    await expect(limited.channels.get('c').publish('x', '1')).rejects.toMatchObject({
      code: 40160,
      statusCode: 401,
    });
    await expect(limited.channels.get('c').history()).rejects.toMatchObject({ code: 40160 });
    expect(e.channel('c').messageCount).toBe(0);
  });

  test('maxMessageSize: an oversize publish is refused with 40009, nothing is stored', async () => {
    const e = await emulator({ maxMessageSize: 100 });
    // The client's own limit is Ably's 64 KiB, so the request reaches the emulator.
    const ch = rest(e, { useBinaryProtocol }).channels.get('big');
    await expect(ch.publish('big', 'x'.repeat(200))).rejects.toMatchObject({
      code: 40009,
      statusCode: 400,
    });
    await ch.publish('small', 'x'.repeat(50));
    expect((await ch.history()).items.map((m) => m.name)).toEqual(['small']);
  });

  test('bad history parameters are 40003 with a sentence', async () => {
    const e = await emulator();
    const ch = rest(e, { useBinaryProtocol }).channels.get('bad');
    await expect(ch.history({ limit: 1001 })).rejects.toMatchObject({ code: 40003 });
    // What a plain-JS caller could pass despite the typings.
    const sideways = { direction: 'sideways' } as unknown as Ably.RestHistoryParams;
    await expect(ch.history(sideways)).rejects.toMatchObject({ code: 40003 });
    await expect(ch.history({ start: 20, end: 10 })).rejects.toMatchObject({
      code: 40003,
      message: expect.stringContaining('start') as unknown,
    });
  });

  test('batch publish (RSC22): an array of specs gives one BatchResult each, per-channel failures', async () => {
    const e = await emulator();
    const app = e.createApp({
      keys: [
        { capability: { 'ok:*': ['publish', 'subscribe', 'history'], 'no:*': ['subscribe'] } },
      ],
    });
    const key = app.keys[0]!.keyStr;
    const listener = await realtime(e, { key, useBinaryProtocol: !useBinaryProtocol });
    const sub = listener.channels.get('ok:a');
    await sub.attach();
    const received = collect(sub, 3);

    const client = rest(e, { key, useBinaryProtocol });
    const results = await client.batchPublish([
      { channels: ['ok:a', 'no:b'], messages: [{ data: 'one' }, { name: 'two', data: { n: 2 } }] },
      { channels: ['ok:c'], messages: [{ data: 'three' }] },
    ]);
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ successCount: 1, failureCount: 1 });
    const [ok, denied] = results[0]!.results as [
      Ably.BatchPublishSuccessResult,
      Ably.BatchPublishFailureResult,
    ];
    expect(Object.keys(ok).sort()).toEqual(['channel', 'messageId', 'serials']);
    expect(ok.channel).toBe('ok:a');
    expect(ok.messageId).toMatch(/:0$/);
    expect(ok.serials).toHaveLength(2);
    expect(denied.channel).toBe('no:b');
    expect(denied.error).toMatchObject({ code: 40160, statusCode: 401 });
    expect('messageId' in denied).toBe(false);
    expect(results[1]).toMatchObject({ successCount: 1, failureCount: 0 });
    const three = results[1]!.results[0] as Ably.BatchPublishSuccessResult;
    expect(three.channel).toBe('ok:c');
    expect(three.messageId).toMatch(/:0$/);

    // The same spec a second time: the messages arrive after the first batch, nothing on no:b.
    await client.channels.get('ok:a').publish('after', 'x');
    const live = await received;
    expect(live.map((m) => m.data as unknown)).toEqual(['one', { n: 2 }, 'x']);
    expect(live.map((m) => m.id).slice(0, 2)).toEqual([`${ok.messageId}:0`, `${ok.messageId}:1`]);
    expect(live.map((m) => m.serial).slice(0, 2)).toEqual(ok.serials);
    const history = await client.channels.get('ok:c').history();
    expect(history.items.map((m) => m.data as unknown)).toEqual(['three']);
    expect(e.channel('no:b', app.appId).messageCount).toBe(0);
  });

  test('batch publish: a single spec gives a single BatchResult; request-wide refusals', async () => {
    const e = await emulator({ maxMessageSize: 100 });
    const client = rest(e, { useBinaryProtocol });
    const single = await client.batchPublish({
      channels: ['s1', 's2'],
      messages: [{ data: 'hi' }],
    });
    expect(single).toMatchObject({ successCount: 2, failureCount: 0 });
    expect(single.results.map((r) => r.channel)).toEqual(['s1', 's2']);
    // A spec whose messages together exceed maxMessageSize fails on each channel, atomically.
    const big = await client.batchPublish({
      channels: ['s3'],
      messages: [{ data: 'a'.repeat(60) }, { data: 'b'.repeat(60) }],
    });
    expect(big.results[0]).toMatchObject({ channel: 's3', error: { code: 40009 } });
    expect(e.channel('s3').messageCount).toBe(0);

    const post = (body: unknown) =>
      fetch(`${e.url}/messages`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(e.key).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    // The REST API's shorthand: one channel name, one message object.
    const short = await post({ channels: 's4', messages: { data: 'short' } });
    expect(short.status).toBe(201);
    expect(await short.json()).toMatchObject({ successCount: 1, results: [{ channel: 's4' }] });
    // More than 100 distinct channels in one request: 90010 for the whole request.
    const many = Array.from({ length: 101 }, (_, i) => `c${i}`);
    const tooMany = await post([
      { channels: many.slice(0, 60), messages: [{ data: 'x' }] },
      { channels: many.slice(50), messages: [{ data: 'x' }] },
    ]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.headers.get('x-ably-errorcode')).toBe('90010');
    expect(e.channel('c0').exists).toBe(false);
    for (const bad of [
      {},
      [],
      { channels: [], messages: [{}] },
      { channels: ['x'], messages: [] },
    ]) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(res.headers.get('x-ably-errorcode')).toBe('40000');
    }
    const anonymous = await fetch(`${e.url}/messages`, { method: 'POST', body: '{}' });
    expect(anonymous.headers.get('x-ably-errorcode')).toBe('40101');
  });
});
