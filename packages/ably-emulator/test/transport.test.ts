import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { describe, expect, test, vi } from 'vitest';
import { OutboundFrame } from '../src/protocol/codec.js';
import { wsFrame } from '../src/transport/ws-frame.js';
import { emulator } from './helpers.js';
import { RawClient } from './raw-client.js';

/** ws's frame parser: exported by the package, missing from @types/ws. */
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
};

/** Parses `bytes` with ws's own client-side frame parser: what any WebSocket client would see. */
function parse(bytes: Buffer): { data: Buffer; isBinary: boolean }[] {
  const receiver = new Receiver({ isServer: false });
  const got: { data: Buffer; isBinary: boolean }[] = [];
  let error: Error | undefined;
  receiver.on('message', (data: Buffer, isBinary: boolean) => got.push({ data, isBinary }));
  receiver.on('error', (err: Error) => (error = err));
  receiver.write(bytes);
  if (error) throw error;
  return got;
}

describe('wsFrame', () => {
  // Each length class of the RFC 6455 header: 7-bit, 16-bit (126) and 64-bit (127) lengths.
  test.each([0, 1, 125, 126, 65_535, 65_536, 200_000])(
    'a %i-byte payload parses back as one whole message',
    (length) => {
      const payload = Buffer.alloc(length, 'a');
      if (length > 0) payload[length - 1] = 0x7a;
      const json = parse(wsFrame(payload, 'json'));
      expect(json).toHaveLength(1);
      expect(json[0]!.isBinary).toBe(false);
      expect(json[0]!.data.equals(payload)).toBe(true);
      const binary = parse(wsFrame(payload, 'msgpack'));
      expect(binary).toHaveLength(1);
      expect(binary[0]!.isBinary).toBe(true);
      expect(binary[0]!.data.equals(payload)).toBe(true);
    },
  );

  test('frames written back to back parse as separate messages, in order', () => {
    const parts = ['{"a":1}', 'x'.repeat(300), 'é'.repeat(40_000)].map((s) => Buffer.from(s));
    const got = parse(Buffer.concat(parts.map((p) => wsFrame(p, 'json'))));
    expect(got.map((m) => m.data.toString('utf8'))).toEqual(parts.map((p) => p.toString('utf8')));
  });
});

describe('OutboundFrame.framed', () => {
  test('frames the encoded bytes once per format; encoded() still gives the payload alone', () => {
    const frame = new OutboundFrame({
      action: 15,
      channel: 'c',
      messages: [{ data: 'é'.repeat(99) }],
    });
    const json = frame.encoded('json');
    const jsonCopy = Buffer.from(json);
    const framedJson = frame.framed('json', wsFrame);
    expect(frame.framed('json', wsFrame)).toBe(framedJson);
    expect(frame.encoded('json').equals(jsonCopy)).toBe(true);
    expect(parse(framedJson)).toEqual([{ data: jsonCopy, isBinary: false }]);
    const framedBinary = frame.framed('msgpack', wsFrame);
    const [binary] = parse(framedBinary);
    expect(binary!.isBinary).toBe(true);
    expect(binary!.data.equals(frame.encoded('msgpack'))).toBe(true);
  });
});

describe('writes to a socket', () => {
  test('a burst of frames in one turn arrives complete and in order, large ones too', async () => {
    const e = await emulator();
    const sub = await RawClient.connect(e, { clientId: 'sub' });
    sub.send({ action: 10, channel: 'burst' });
    await sub.next((m) => m.action === 11);
    const pub = await RawClient.connect(e, { clientId: 'pub', echo: 'false' });
    pub.send({ action: 10, channel: 'burst' });
    await pub.next((m) => m.action === 11);
    // Sent without waiting, so the server handles (and writes) many of them in the same turn;
    // sizes cross the point where one turn's frames stop being joined into one buffer.
    const sizes = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 20_000 : 30 + i));
    sizes.forEach((size, i) =>
      pub.send({
        action: 15,
        channel: 'burst',
        msgSerial: i,
        messages: [{ name: `m${i}`, data: String(i % 10).repeat(size) }],
      }),
    );
    await vi.waitFor(() => expect(sub.frames.filter((m) => m.action === 15)).toHaveLength(40));
    const got = sub.frames.filter((m) => m.action === 15).map((m) => m.messages![0]!);
    expect(got.map((m) => m.name)).toEqual(sizes.map((_, i) => `m${i}`));
    expect(got.map((m) => (m.data as string).length)).toEqual(sizes);
    expect(got.every((m, i) => m.data === String(i % 10).repeat(sizes[i]!))).toBe(true);
  });

  test('an ERROR sent just before a close arrives before the close frame', async () => {
    const e = await emulator();
    const raw = await RawClient.connect(e, { format: 'json' });
    await raw.next((m) => m.action === 4);
    raw.sendRaw('not json');
    expect((await raw.next((m) => m.action === 9)).error).toMatchObject({ code: 40000 });
    expect(await raw.closed()).toBe(1000);
  });

  test('a consumer that stops reading is cut off once 64 MiB is waiting for it', async () => {
    // Heartbeats far apart, so only the slow-consumer check can drop the reader.
    const e = await emulator({ heartbeatIntervalMs: 600_000, leaveGraceMs: 0 });
    const slow = await RawClient.connect(e, { clientId: 'slow' });
    slow.send({ action: 10, channel: 'firehose' });
    await slow.next((m) => m.action === 11);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const pub = await RawClient.connect(e, { clientId: 'pub', echo: 'false' });
    pub.send({ action: 10, channel: 'firehose' });
    await pub.next((m) => m.action === 11);
    // Ephemeral, so history does not keep the 70+ MiB too.
    const data = 'x'.repeat(60_000);
    let sent = 0;
    const acked = (): number => pub.frames.filter((m) => m.action === 1).length;
    while (e.channel('firehose').metrics.connections > 1 && sent < 2_000) {
      for (let i = 0; i < 50; i++) {
        pub.send({
          action: 15,
          channel: 'firehose',
          msgSerial: sent++,
          messages: [{ name: 'chunk', data, extras: { ephemeral: true } }],
        });
      }
      // Let the server keep up with the publisher (its own socket is read, not the slow one).
      await vi.waitFor(() => expect(acked()).toBe(sent), { timeout: 10_000 });
    }
    expect(e.channel('firehose').metrics.connections).toBe(1);
    // Cut off after somewhat over 64 MiB, not at the first sign of back-pressure.
    expect(sent * data.length).toBeGreaterThan(64 * 1024 * 1024);
  }, 60_000);
});
