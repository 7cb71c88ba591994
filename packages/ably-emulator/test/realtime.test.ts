import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { closeClient, emulator, FORMATS, realtime } from './helpers.js';

describe.each(FORMATS)('realtime over $name', ({ useBinaryProtocol }) => {
  test('connects with full connectionDetails and answers ping', async () => {
    const e = await emulator();
    const client = await realtime(e, { clientId: 'alice', useBinaryProtocol });
    expect(client.connection.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(client.connection.key).toBeTruthy();
    expect(client.auth.clientId).toBe('alice');
    expect(await client.connection.ping()).toBeGreaterThanOrEqual(0);
    expect(e.connectionCount).toBe(1);
  });

  test('attach grants requested modes and a channelSerial; detach is answered', async () => {
    const e = await emulator();
    const client = await realtime(e, { clientId: 'alice', useBinaryProtocol });
    const ch = client.channels.get('modes', { modes: ['PRESENCE', 'PRESENCE_SUBSCRIBE'] });
    await ch.attach();
    expect(ch.modes?.sort()).toEqual(['presence', 'presence_subscribe']);
    // Internal, but what @ably/chat and untilAttach history rely on.
    const props = (ch as unknown as { properties: { attachSerial?: string } }).properties;
    expect(props.attachSerial).toBeTruthy();
    const all = client.channels.get('all-modes');
    await all.attach();
    expect(all.modes).toEqual(
      expect.arrayContaining(['publish', 'subscribe', 'presence', 'presence_subscribe']),
    );
    expect(e.channel('all-modes').metrics.connections).toBe(1);
    await all.detach();
    expect(all.state).toBe('detached');
    expect(e.channel('all-modes').metrics.connections).toBe(0);
  });

  test('presence enter/update/leave reach subscribers with data; get() includes self', async () => {
    const e = await emulator();
    const alice = await realtime(e, { clientId: 'alice', useBinaryProtocol });
    const bob = await realtime(e, { clientId: 'bob', useBinaryProtocol });
    const chA = alice.channels.get('room');
    const chB = bob.channels.get('room');
    const seen: Ably.PresenceMessage[] = [];
    await chA.presence.subscribe((m) => seen.push(m));

    await chB.presence.enter({ mood: 'happy' });
    await vi.waitFor(() => expect(seen.map((m) => m.action)).toEqual(['enter']));
    expect(seen[0]).toMatchObject({ clientId: 'bob', data: { mood: 'happy' } });
    expect(seen[0]!.connectionId).toBe(bob.connection.id);
    expect(seen[0]!.id.startsWith(`${bob.connection.id!}:`)).toBe(true);

    await chB.presence.update('plain text');
    await vi.waitFor(() => expect(seen.at(-1)?.action).toBe('update'));
    expect(seen.at(-1)?.data).toBe('plain text');

    // Own presence is echoed: bob sees himself.
    expect((await chB.presence.get()).map((m) => m.clientId)).toEqual(['bob']);

    await chB.presence.leave();
    await vi.waitFor(() => expect(seen.at(-1)?.action).toBe('leave'));
    // A LEAVE without data carries the last data (RTP8e).
    expect(seen.at(-1)?.data).toBe('plain text');
    expect(await chA.presence.get()).toEqual([]);
  });

  test('a late joiner gets the set by SYNC; binary data crosses formats', async () => {
    const e = await emulator();
    const first = await realtime(e, { clientId: 'first', useBinaryProtocol });
    await first.channels.get('sync').presence.enter(Buffer.from([1, 2, 3]));
    // A key without clientId may act as anyone.
    const service = await realtime(e, { useBinaryProtocol });
    await service.channels.get('sync').presence.enterClient('other', 'x');
    // Late joiner in the other wire format.
    const late = await realtime(e, { clientId: 'late', useBinaryProtocol: !useBinaryProtocol });
    const members = await late.channels.get('sync').presence.get();
    expect(members.map((m) => m.clientId).sort()).toEqual(['first', 'other']);
    const data = members.find((m) => m.clientId === 'first')!.data as Uint8Array;
    expect([...data]).toEqual([1, 2, 3]);
    // A bound clientId cannot act as someone else.
    await expect(first.channels.get('sync').presence.enterClient('mallory')).rejects.toMatchObject({
      code: 40012,
    });
  });

  test('publish and subscribe: strings, JSON and bytes cross both formats', async () => {
    const e = await emulator();
    const publisher = await realtime(e, { clientId: 'pub', useBinaryProtocol });
    const sameFormat = await realtime(e, { useBinaryProtocol });
    const otherFormat = await realtime(e, { useBinaryProtocol: !useBinaryProtocol });
    const got: Record<string, Ably.Message[]> = { same: [], other: [] };
    await sameFormat.channels.get('msgs').subscribe((m) => got['same']!.push(m));
    await otherFormat.channels.get('msgs').subscribe((m) => got['other']!.push(m));
    const ch = publisher.channels.get('msgs');
    await ch.publish('text', 'hello');
    await ch.publish('json', { a: [1, 2] });
    await ch.publish('bytes', Buffer.from([0, 255, 7]));
    for (const list of Object.values(got)) {
      await vi.waitFor(() => expect(list).toHaveLength(3));
      expect(list.map((m) => m.name)).toEqual(['text', 'json', 'bytes']);
      expect(list[0]).toMatchObject({
        data: 'hello',
        clientId: 'pub',
        connectionId: publisher.connection.id,
      });
      expect(list[1]!.data).toEqual({ a: [1, 2] });
      expect([...(list[2]!.data as Uint8Array)]).toEqual([0, 255, 7]);
      expect(list[0]!.serial! < list[2]!.serial!).toBe(true);
    }
  });

  test('CLOSE makes members leave at once; DETACH too', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const watcher = await realtime(e, { clientId: 'watcher', useBinaryProtocol });
    const leaver = await realtime(e, { clientId: 'leaver', useBinaryProtocol });
    const detacher = await realtime(e, { clientId: 'detacher', useBinaryProtocol });
    const seen: string[] = [];
    await watcher.channels
      .get('c')
      .presence.subscribe((m) => seen.push(`${m.action}:${m.clientId}`));
    await leaver.channels.get('c').presence.enter();
    await detacher.channels.get('c').presence.enter();
    await vi.waitFor(() => expect(e.channel('c').metrics.presenceMembers).toBe(2));

    await closeClient(leaver);
    await vi.waitFor(() => expect(seen).toContain('leave:leaver'));
    await detacher.channels.get('c').detach();
    await vi.waitFor(() => expect(seen).toContain('leave:detacher'));
    expect((await watcher.channels.get('c').presence.get()).length).toBe(0);
    expect(e.channel('c').metrics).toMatchObject({ connections: 1, presenceMembers: 0 });
  });
});
