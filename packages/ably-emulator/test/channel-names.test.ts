import type * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime, rest } from './helpers.js';
import { RawClient } from './raw-client.js';

/** Names Ably refuses (channel naming rules; 40010 "invalid channel name"). */
const INVALID = [
  '',
  ':hell',
  '::',
  'a\nb',
  '[foo',
  '[]foo',
  '[bar]foo',
  '[?nope=1]foo',
  '[?]foo',
  '[?rewind=1]',
  '[?rewind=1]:foo',
  '[meta][meta]foo',
  'x'.repeat(2049),
];

/** The error an operation fails with. */
async function errorOf(p: Promise<unknown>): Promise<Ably.ErrorInfo> {
  try {
    await p;
  } catch (err) {
    return err as Ably.ErrorInfo;
  }
  throw new Error('expected the operation to fail');
}

describe.each(FORMATS)('channel names over $name', ({ name: format, useBinaryProtocol }) => {
  test('an invalid name fails only its channel (40010); the connection stays up', async () => {
    const e = await emulator();
    const client = await realtime(e, { clientId: 'namer', useBinaryProtocol });
    for (const name of INVALID) {
      const channel = client.channels.get(name);
      const error = await errorOf(channel.attach());
      expect({ name, code: error.code, statusCode: error.statusCode }).toEqual({
        name,
        code: 40010,
        statusCode: 400,
      });
      expect(channel.state).toBe('failed');
      expect(channel.errorReason?.code).toBe(40010);
    }
    // Same connection, nothing lost: it was never more than the channels' business.
    expect(client.connection.state).toBe('connected');
    const fine = client.channels.get('fine');
    await fine.attach();
    await fine.presence.enter('still here');
    expect(e.channel('fine').members.map((m) => m.clientId)).toEqual(['namer']);
  });

  test('publishing on an invalid name without attaching is refused with 40010', async () => {
    const e = await emulator();
    const client = await realtime(e, { useBinaryProtocol });
    const error = await errorOf(client.channels.get(':hell').publish('x', 'y'));
    expect(error).toMatchObject({ code: 40010, statusCode: 400 });
    expect(client.connection.state).toBe('connected');
  });

  test('qualified names Ably accepts attach: [?params], [meta]; [filter] is not emulated', async () => {
    const e = await emulator();
    const app = e.createApp({ keys: [{ capability: { '[*]*': ['*'] } }] });
    const client = await realtime(e, { key: app.keys[0]!.keyStr, useBinaryProtocol });
    for (const name of [
      '[?rewind=1]room',
      '[?rewind=2m&rewindLimit=5]other',
      '[meta]log',
      'a:b::$chat',
    ]) {
      const channel = client.channels.get(name);
      await channel.attach();
      expect(channel.state).toBe('attached');
    }
    const derived = client.channels.getDerived('room', { filter: 'name == `"x"`' });
    const error = await errorOf(derived.attach());
    expect(error.code).toBe(40000);
    expect(client.connection.state).toBe('connected');
  });

  test('a [?params] name is the channel without the qualifier, and its frames carry the name used', async () => {
    const e = await emulator();
    const reader = await realtime(e, { clientId: 'reader', useBinaryProtocol });
    const writer = await realtime(e, { clientId: 'writer', useBinaryProtocol });
    const qualified = reader.channels.get('[?occupancy=metrics]room');
    const messages: string[] = [];
    const occupancy: { connections?: number }[] = [];
    await qualified.subscribe((m) => {
      if (m.name === '[meta]occupancy') {
        occupancy.push((m.data as { metrics: { connections: number } }).metrics);
      } else messages.push(`${m.clientId}:${m.name}`);
    });
    const plain = writer.channels.get('room');
    const writerSaw: string[] = [];
    await plain.subscribe((m) => writerSaw.push(`${m.clientId}:${m.name}`));

    await plain.publish('from-plain', 'a');
    await plain.presence.enter('in the room');
    await qualified.publish('from-qualified', 'b');
    await vi.waitFor(() =>
      expect(messages).toEqual(['writer:from-plain', 'reader:from-qualified']),
    );
    await vi.waitFor(() =>
      expect(writerSaw).toEqual(['writer:from-plain', 'reader:from-qualified']),
    );
    expect((await qualified.presence.get()).map((m) => m.clientId)).toEqual(['writer']);
    // The qualifier's params are honoured: occupancy events, counting both connections.
    await vi.waitFor(() => expect(occupancy.at(-1)?.connections).toBe(2));
    expect(e.channel('room').metrics.connections).toBe(2);
    expect(e.channel('[?occupancy=metrics]room').exists).toBe(false);
    // One attachment per connection and channel: the plain name is refused on that connection.
    const again = await errorOf(reader.channels.get('room').attach());
    expect(again.code).toBe(40000);
    expect(qualified.state).toBe('attached');
  });

  test('DETACH of an invalid name is a channel error, not a connection failure', async () => {
    const e = await emulator();
    const raw = await RawClient.connect(e, { format });
    await raw.next((m) => m.action === 4);
    raw.send({ action: 12, channel: '' });
    expect(await raw.next((m) => m.action === 9)).toMatchObject({
      channel: '',
      error: { code: 40010, statusCode: 400 },
    });
    raw.send({ action: 0, id: 'still-there' });
    await raw.next((m) => m.action === 0 && m.id === 'still-there');
    expect(raw.closeCode).toBeUndefined();
  });

  test('REST publish, history and presence on an invalid name: 40010, HTTP 400', async () => {
    const e = await emulator();
    const client = rest(e, { useBinaryProtocol });
    const channel = client.channels.get(':hell');
    for (const call of [
      () => channel.publish('x', 'y'),
      () => channel.history(),
      () => channel.presence.get(),
      () => channel.presence.history(),
    ]) {
      expect(await errorOf(call())).toMatchObject({ code: 40010, statusCode: 400 });
    }
    // ably-js returns the body as sent, whatever its types say.
    const batch = (await client.batchPresence([':hell', 'ok'])) as unknown as Ably.BatchResult<
      Ably.BatchPresenceSuccessResult | Ably.BatchPresenceFailureResult
    >;
    const [refused, ok] = batch.results;
    expect(refused).toMatchObject({ channel: ':hell', error: { code: 40010, statusCode: 400 } });
    expect(ok).toEqual({ channel: 'ok', presence: [] });
  });
});
