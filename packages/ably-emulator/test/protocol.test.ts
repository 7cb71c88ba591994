import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';
import { RawClient } from './raw-client.js';

describe.each(FORMATS)('protocol details over $name', ({ name: format, useBinaryProtocol }) => {
  test('CONNECTED comes first with full connectionDetails; heartbeats follow', async () => {
    const e = await emulator({ heartbeatIntervalMs: 50 });
    const raw = await RawClient.connect(e, { clientId: 'hb', format });
    const first = await raw.next(() => true);
    expect(first.action).toBe(4);
    expect(first.connectionId).not.toContain(':');
    expect(first.connectionDetails).toMatchObject({
      clientId: 'hb',
      connectionStateTtl: 120_000,
      maxIdleInterval: 15_000,
      maxMessageSize: 65_536,
    });
    expect(first.connectionDetails!.connectionKey).toBeTruthy();
    await raw.next((m) => m.action === 0);
    raw.send({ action: 0, id: 'ping-1' });
    await raw.next((m) => m.action === 0 && m.id === 'ping-1');
  });

  test('no clientId with a key: connectionDetails.clientId is omitted', async () => {
    const e = await emulator();
    const raw = await RawClient.connect(e, { format });
    const first = await raw.next((m) => m.action === 4);
    expect(first.connectionDetails!.clientId).toBeUndefined();
  });

  test('ACK with serials per msgSerial; a re-sent serial is ACKed but not applied twice', async () => {
    const e = await emulator();
    const subscriber = await realtime(e, { useBinaryProtocol });
    const received: string[] = [];
    await subscriber.channels.get('acks').subscribe((m) => received.push(m.name!));

    const raw = await RawClient.connect(e, { clientId: 'p', format });
    raw.send({ action: 10, channel: 'acks' });
    await raw.next((m) => m.action === 11);
    raw.send({
      action: 15,
      channel: 'acks',
      msgSerial: 0,
      messages: [{ name: 'one' }, { name: 'two' }],
    });
    const ack = await raw.next((m) => m.action === 1);
    expect(ack).toMatchObject({ msgSerial: 0, count: 1 });
    expect(ack.res![0]!.serials).toHaveLength(2);
    const from = raw.frames.length;
    raw.send({
      action: 15,
      channel: 'acks',
      msgSerial: 0,
      messages: [{ name: 'one' }, { name: 'two' }],
    });
    expect(await raw.next((m) => m.action === 1, { from })).toMatchObject({ msgSerial: 0 });
    raw.send({ action: 15, channel: 'acks', msgSerial: 1, messages: [{ name: 'three' }] });
    await raw.next((m) => m.action === 1 && m.msgSerial === 1);
    await vi.waitFor(() => expect(received).toEqual(['one', 'two', 'three']));
    expect(e.channel('acks').messageCount).toBe(3);
  });

  test('NACKs: oversize 40009, wrong clientId 40012, no identity for presence 40012', async () => {
    const e = await emulator({ maxMessageSize: 100 });
    const raw = await RawClient.connect(e, { clientId: 'me', format });
    raw.send({ action: 10, channel: 'n' });
    await raw.next((m) => m.action === 11);
    raw.send({ action: 15, channel: 'n', msgSerial: 0, messages: [{ data: 'x'.repeat(101) }] });
    expect((await raw.next((m) => m.action === 2)).error).toMatchObject({
      code: 40009,
      statusCode: 400,
    });
    raw.send({
      action: 15,
      channel: 'n',
      msgSerial: 1,
      messages: [{ clientId: 'you', data: 'x' }],
    });
    expect((await raw.next((m) => m.action === 2 && m.msgSerial === 1)).error!.code).toBe(40012);
    raw.send({
      action: 14,
      channel: 'n',
      msgSerial: 2,
      presence: [{ action: 2, clientId: 'you' }],
    });
    expect((await raw.next((m) => m.action === 2 && m.msgSerial === 2)).error!.code).toBe(40012);
    expect(e.channel('n').members).toEqual([]);

    const anonymous = await RawClient.connect(e, { format });
    anonymous.send({ action: 10, channel: 'n' });
    await anonymous.next((m) => m.action === 11);
    anonymous.send({ action: 14, channel: 'n', msgSerial: 0, presence: [{ action: 2 }] });
    expect((await anonymous.next((m) => m.action === 2)).error!.code).toBe(40012);
    // All of that left the connection usable.
    raw.send({ action: 15, channel: 'n', msgSerial: 3, messages: [{ data: 'fine' }] });
    await raw.next((m) => m.action === 1 && m.msgSerial === 3);
  });

  test('refused items (too deep, wrong type) NACK that publish only; the connection lives on', async () => {
    const e = await emulator();
    const raw = await RawClient.connect(e, { clientId: 'me', format });
    raw.send({ action: 10, channel: 'deep' });
    await raw.next((m) => m.action === 11);
    let deep: unknown = 0;
    for (let i = 0; i < 300; i++) deep = [deep];
    const refused: [Record<string, unknown>, number][] = [
      [{ action: 15, messages: [{ data: deep }] }, 40013],
      [{ action: 15, messages: [{ name: 'x', extras: { deep } }] }, 40013],
      [{ action: 14, presence: [{ action: 2, data: { deep } }] }, 40013],
      [{ action: 15, messages: [5] }, 40000],
      [{ action: 14, presence: [{ action: 'enter' }] }, 40000],
    ];
    refused.forEach(([frame], msgSerial) => raw.send({ ...frame, channel: 'deep', msgSerial }));
    for (const [msgSerial, [, code]] of refused.entries()) {
      const nack = await raw.next((m) => m.action === 2 && m.msgSerial === msgSerial);
      expect(nack.error).toMatchObject({ code, statusCode: 400 });
    }
    expect(raw.frames.some((m) => m.action === 9)).toBe(false);
    expect(e.channel('deep').messageCount).toBe(0);
    expect(e.channel('deep').members).toEqual([]);
    raw.send({ action: 15, channel: 'deep', msgSerial: 5, messages: [{ data: [[['fine']]] }] });
    await raw.next((m) => m.action === 1 && m.msgSerial === 5);
    expect(e.channel('deep').messageCount).toBe(1);

    // Without a msgSerial there is nothing to NACK: the connection fails, as for any bad frame.
    const noSerial = await RawClient.connect(e, { clientId: 'me', format });
    noSerial.send({ action: 15, channel: 'deep', messages: [{ data: deep }] });
    expect((await noSerial.next((m) => m.action === 9)).error!.code).toBe(40013);
    expect(await noSerial.closed()).toBe(1000);
  });

  test('echo=false: own messages not delivered back; own presence still echoed', async () => {
    const e = await emulator();
    const raw = await RawClient.connect(e, { clientId: 'quiet', echo: 'false', format });
    raw.send({ action: 10, channel: 'echo' });
    await raw.next((m) => m.action === 11);
    raw.send({ action: 15, channel: 'echo', msgSerial: 0, messages: [{ name: 'mine' }] });
    await raw.next((m) => m.action === 1);
    raw.send({ action: 14, channel: 'echo', msgSerial: 1, presence: [{ action: 2 }] });
    const presence = await raw.next((m) => m.action === 14);
    expect(presence.presence![0]).toMatchObject({
      action: 2,
      clientId: 'quiet',
      id: `${raw.frames[0]!.connectionId}:1:0`,
    });
    expect(raw.frames.some((m) => m.action === 15)).toBe(false);
  });

  test('ephemeral messages are delivered but not stored', async () => {
    const e = await emulator();
    const client = await realtime(e, { clientId: 'typing', useBinaryProtocol });
    const ch = client.channels.get('eph');
    const got: string[] = [];
    await ch.subscribe((m) => got.push(m.name!));
    await ch.publish({ name: 'typing.started', extras: { ephemeral: true } });
    await ch.publish({ name: 'kept' });
    await vi.waitFor(() => expect(got).toEqual(['typing.started', 'kept']));
    expect(e.channel('eph').messageCount).toBe(1);
  });

  test('malformed frames and unknown actions fail only the offending connection', async () => {
    const e = await emulator();
    const bystander = await realtime(e, { clientId: 'bystander', useBinaryProtocol });
    await bystander.channels.get('safe').presence.enter('still here');

    const garbage = await RawClient.connect(e, { format });
    await garbage.next((m) => m.action === 4);
    garbage.sendRaw(format === 'json' ? '{"action":' : Buffer.from([0xc1, 0xff, 0x00]));
    expect((await garbage.next((m) => m.action === 9)).error).toMatchObject({ code: 40000 });
    expect(await garbage.closed()).toBe(1000);

    const wrongTypes = await RawClient.connect(e, { format });
    wrongTypes.send({ action: 'attach', channel: 5 });
    expect((await wrongTypes.next((m) => m.action === 9)).error!.code).toBe(40000);

    const unknown = await RawClient.connect(e, { format });
    unknown.send({ action: 10, channel: 'u' });
    await unknown.next((m) => m.action === 11);
    unknown.send({ action: 99, channel: 'u' });
    const channelError = await unknown.next((m) => m.action === 9);
    expect(channelError).toMatchObject({ channel: 'u', error: { code: 40000 } });
    // LiveObjects frames are not emulated: NACKed, the connection lives on.
    unknown.send({ action: 19, channel: 'u', msgSerial: 0 });
    expect((await unknown.next((m) => m.action === 2)).error!.code).toBe(40000);

    const truncated = await RawClient.connect(e, { format: 'msgpack' });
    truncated.sendRaw(Buffer.from([0xdf, 0xff, 0xff, 0xff, 0xff]));
    expect((await truncated.next((m) => m.action === 9)).error!.code).toBe(40000);

    expect(bystander.connection.state).toBe('connected');
    expect(
      (await bystander.channels.get('safe').presence.get()).map((m) => m.data as unknown),
    ).toEqual(['still here']);
  });

  test('client SYNC is answered with a complete SYNC of the set', async () => {
    const e = await emulator();
    const member = await realtime(e, { clientId: 'present', useBinaryProtocol });
    await member.channels.get('resync').presence.enter('hi');
    const raw = await RawClient.connect(e, { format });
    raw.send({ action: 10, channel: 'resync' });
    await raw.next((m) => m.action === 16);
    const from = raw.frames.length;
    raw.send({ action: 16, channel: 'resync', channelSerial: 'abc:1' });
    const sync = await raw.next((m) => m.action === 16, { from });
    expect(sync.channelSerial).toMatch(/^[\w-]+:$/);
    expect(sync.presence).toEqual([
      expect.objectContaining({ action: 1, clientId: 'present', data: 'hi' }),
    ]);
    // Not attached: an empty, complete sync (a waiting get() must not hang).
    raw.send({ action: 16, channel: 'elsewhere' });
    const empty = await raw.next((m) => m.action === 16 && m.channel === 'elsewhere');
    expect(empty.presence).toEqual([]);
  });

  test('a re-entry naming an id orders against the connection’s own messages (RTP2b2)', async () => {
    const e = await emulator();
    const raw = await RawClient.connect(e, { clientId: 'ord', format });
    const connectionId = (await raw.next((m) => m.action === 4)).connectionId!;
    raw.send({ action: 10, channel: 'order' });
    await raw.next((m) => m.action === 11);
    const acked = (serial: number) => raw.next((m) => m.action === 1 && m.msgSerial === serial);
    const members = () => e.channel('order').members.map((m) => `${m.clientId}:${m.id}`);
    const enter = (msgSerial: number, id?: string, data = 'v') =>
      raw.send({
        action: 14,
        channel: 'order',
        msgSerial,
        presence: [{ action: 2, data, ...(id ? { id } : {}) }],
      });

    enter(0); // id `<conn>:0:0`
    await acked(0);
    expect(members()).toEqual([`ord:${connectionId}:0:0`]);
    raw.send({ action: 14, channel: 'order', msgSerial: 1, presence: [{ action: 3 }] });
    await acked(1);
    // The re-entry repeats the first ENTER, older than the LEAVE: it changes nothing.
    enter(2, `${connectionId}:0:0`);
    await acked(2);
    expect(members()).toEqual([]);
    // A re-entry newer than the LEAVE, and one naming another connection's id, do enter.
    enter(3, `${connectionId}:3:0`);
    await acked(3);
    expect(members()).toEqual([`ord:${connectionId}:3:0`]);
    raw.send({ action: 14, channel: 'order', msgSerial: 4, presence: [{ action: 3 }] });
    enter(5, 'elsewhere:9:0');
    await acked(5);
    expect(members()).toEqual([`ord:${connectionId}:5:0`]);
    // Present: a re-entry with an older id (9 > 10 as strings) or the current one is a no-op.
    enter(10, undefined, 'ten');
    await acked(10);
    const frames = raw.frames.length;
    enter(11, `${connectionId}:9:0`, 'stale');
    enter(12, `${connectionId}:10:0`, 'ten');
    await acked(12);
    expect(e.channel('order').members).toEqual([
      expect.objectContaining({ id: `${connectionId}:10:0`, data: 'ten' }),
    ]);
    expect(raw.frames.slice(frames).filter((m) => m.action === 14)).toEqual([]);
  });

  test('DETACH of a never-attached channel is answered', async () => {
    const e = await emulator();
    const raw = await RawClient.connect(e, { format });
    raw.send({ action: 12, channel: 'never' });
    expect(await raw.next((m) => m.action === 13)).toMatchObject({ channel: 'never' });
  });
});

test('a peer that stops answering pings is dropped', async () => {
  const e = await emulator({ heartbeatIntervalMs: 40, leaveGraceMs: 0 });
  const raw = await RawClient.connect(e, { clientId: 'dead' });
  raw.send({ action: 10, channel: 'd' });
  await raw.next((m) => m.action === 11);
  // Stop reading: pings go unanswered, as with a vanished peer.
  (raw.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  await vi.waitFor(() => expect(e.channel('d').metrics.connections).toBe(0), { timeout: 3000 });
});
