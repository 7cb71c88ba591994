import { ChatClient } from '@ably/chat';
import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { closeClient, emulator, FORMATS, realtime } from './helpers.js';
import { RawClient } from './raw-client.js';

describe.each(FORMATS)('drops and resume over $name', ({ useBinaryProtocol }) => {
  test('an abrupt drop resumes the same connection: no leave, no discontinuity', async () => {
    const e = await emulator({ leaveGraceMs: 5_000 });
    const watcher = await realtime(e, { clientId: 'watcher', useBinaryProtocol });
    const seen: string[] = [];
    await watcher.channels
      .get('r::$chat')
      .presence.subscribe((m) => seen.push(`${m.action}:${m.clientId}`));

    const client = await realtime(e, { clientId: 'dropper', useBinaryProtocol });
    const room = await new ChatClient(client).rooms.get('r');
    const discontinuities: unknown[] = [];
    room.onDiscontinuity((err) => discontinuities.push(err));
    await room.attach();
    await room.presence.enter({ v: 1 });
    await vi.waitFor(() => expect(seen).toEqual(['enter:dropper']));

    const id = client.connection.id!;
    const states: string[] = [];
    client.connection.on((c) => states.push(c.current));
    expect(e.dropConnection(id)).toBe(true);
    await vi.waitFor(() => expect(states).toEqual(['disconnected', 'connecting', 'connected']));
    expect(client.connection.id).toBe(id);
    expect(client.connection.errorReason?.code ?? 0).not.toBe(80008);
    await vi.waitFor(() => expect(room.status).toBe('attached'));
    // Members and continuity survive.
    expect(seen).toEqual(['enter:dropper']);
    expect(discontinuities).toEqual([]);
    expect(e.channel('r::$chat').metrics).toMatchObject({ connections: 2, presenceMembers: 1 });
    await room.presence.update({ v: 2 });
    await vi.waitFor(() => expect(seen).toEqual(['enter:dropper', 'update:dropper']));
  });

  test('members of a dropped connection that does not come back leave after the grace', async () => {
    const e = await emulator({ leaveGraceMs: 300 });
    const watcher = await realtime(e, { clientId: 'watcher', useBinaryProtocol });
    const leaves: number[] = [];
    const ch = watcher.channels.get('g');
    await ch.presence.subscribe('leave', () => leaves.push(Date.now()));
    const raw = await RawClient.connect(e, {
      clientId: 'ghost',
      format: useBinaryProtocol ? 'msgpack' : 'json',
    });
    raw.send({ action: 10, channel: 'g' });
    await raw.next((m) => m.action === 11);
    raw.send({ action: 14, channel: 'g', msgSerial: 0, presence: [{ action: 2, data: 'boo' }] });
    await raw.next((m) => m.action === 1);
    await vi.waitFor(async () => expect((await ch.presence.get()).length).toBe(1));

    const droppedAt = Date.now();
    raw.ws.terminate();
    // Still present during the grace period...
    await vi.waitFor(() => expect(e.channel('g').metrics.connections).toBe(2));
    expect(e.channel('g').members.map((m) => m.clientId)).toEqual(['ghost']);
    // ...and gone after it, with a LEAVE the watcher accepts (synthetic id).
    await vi.waitFor(() => expect(leaves.length).toBe(1), { timeout: 3000 });
    expect(leaves[0]! - droppedAt).toBeGreaterThanOrEqual(250);
    expect(await ch.presence.get()).toEqual([]);
    expect(e.channel('g').metrics).toMatchObject({ connections: 1, presenceMembers: 0 });
  });

  test('remainPresentFor from the connect query overrides the grace', async () => {
    const e = await emulator({ leaveGraceMs: 60_000 });
    const raw = await RawClient.connect(e, {
      clientId: 'quick',
      remainPresentFor: '0',
      format: useBinaryProtocol ? 'msgpack' : 'json',
    });
    raw.send({ action: 14, channel: 'q', msgSerial: 0, presence: [{ action: 2 }] });
    // Not attached yet: NACKed, the connection lives on.
    expect((await raw.next((m) => m.action === 2)).error).toMatchObject({ code: 90001 });
    raw.send({ action: 10, channel: 'q' });
    await raw.next((m) => m.action === 11);
    raw.send({ action: 14, channel: 'q', msgSerial: 1, presence: [{ action: 2 }] });
    await raw.next((m) => m.action === 1 && m.msgSerial === 1);
    expect(e.channel('q').metrics.presenceMembers).toBe(1);
    raw.ws.terminate();
    await vi.waitFor(() => expect(e.channel('q').metrics.presenceMembers).toBe(0));
  });

  test('raw resume: same id, RESUMED re-attach, frames missed while away are delivered', async () => {
    const e = await emulator({ leaveGraceMs: 5_000 });
    const format = useBinaryProtocol ? 'msgpack' : 'json';
    const a = await RawClient.connect(e, { clientId: 'a', format });
    const connected = await a.next((m) => m.action === 4);
    a.send({ action: 10, channel: 'res' });
    const firstAttached = await a.next((m) => m.action === 11);
    a.ws.terminate();
    await vi.waitFor(() => expect(e.connectionCount).toBe(1));

    const publisher = await realtime(e, { clientId: 'pub', useBinaryProtocol });
    await publisher.channels.get('res').publish('missed', 'while away');

    const b = await RawClient.connect(e, {
      clientId: 'a',
      format,
      resume: connected.connectionDetails!.connectionKey,
    });
    const again = await b.next((m) => m.action === 4);
    expect(again.connectionId).toBe(connected.connectionId);
    expect(again.error).toBeUndefined();
    expect(again.connectionDetails!.connectionKey).not.toBe(
      connected.connectionDetails!.connectionKey,
    );
    // As ably-js does (RTL4c1): the last channelSerial it saw.
    b.send({ action: 10, channel: 'res', channelSerial: firstAttached.channelSerial });
    const attached = await b.next((m) => m.action === 11);
    expect(attached.flags! & 4).toBe(4); // RESUMED
    expect(attached.flags! & 2).toBe(2); // HAS_BACKLOG: what it missed follows
    const missed = await b.next((m) => m.action === 15);
    expect(missed.messages![0]).toMatchObject({
      name: 'missed',
      data: 'while away',
      clientId: 'pub',
    });
  });

  test('a failed resume gets a new connection id: 80018 for a malformed key, 80008 for a gone one', async () => {
    const e = await emulator();
    const format = useBinaryProtocol ? 'msgpack' : 'json';
    const malformed = await RawClient.connect(e, { resume: 'not-a-key', format });
    const fresh = await malformed.next((m) => m.action === 4);
    expect(fresh.error).toMatchObject({ code: 80018, statusCode: 400 });
    expect(fresh.connectionId).toBeTruthy();

    // A real key whose connection closed since.
    const closed = await realtime(e, { useBinaryProtocol });
    const key = closed.connection.key!;
    await closeClient(closed);
    const stale = await RawClient.connect(e, { resume: key, format });
    const renewed = await stale.next((m) => m.action === 4);
    expect(renewed.error).toMatchObject({ code: 80008, statusCode: 400 });
  });

  test('recover with an unusable key (RTN16l): connected afresh, 80018 in connection.errorReason', async () => {
    const e = await emulator();
    const client = await realtime(e, {
      clientId: 'recoverer',
      useBinaryProtocol,
      recover: JSON.stringify({ connectionKey: 'stale-old-key', msgSerial: 7, channelSerials: {} }),
    });
    expect(client.connection.state).toBe('connected');
    expect(client.connection.errorReason).toMatchObject({ code: 80018, statusCode: 400 });
    // A new connection, and it works.
    expect(client.connection.id).toBeTruthy();
    await client.channels.get('after-recover').publish('x', 'y');
    expect(e.channel('after-recover').messageCount).toBe(1);
  });

  test('after the grace period a resumed client re-syncs and re-enters (discontinuity)', async () => {
    const e = await emulator({ leaveGraceMs: 0 });
    const client: Ably.Realtime = await realtime(e, { clientId: 'slow', useBinaryProtocol });
    const ch = client.channels.get('reenter');
    await ch.presence.enter('me');
    const id = client.connection.id!;
    e.dropConnection(id);
    await vi.waitFor(() => expect(client.connection.state).toBe('connected'));
    // The member left on the server at once, and the client's re-entry (RTP17i) brings it back.
    await vi.waitFor(() =>
      expect(e.channel('reenter').members).toEqual([
        expect.objectContaining({ clientId: 'slow', data: 'me' }),
      ]),
    );
    expect(client.connection.id).toBe(id);
  });
});
