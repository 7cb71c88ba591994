import msgpack from '@ably/msgpack-js';
import type { Emulator } from '@presencekit/ably-emulator';
import * as Ably from 'ably';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';

import { onCleanup } from '../harness/cleanup';
import { emulator } from '../harness/in-process-emulator';
import { closeRealtime } from '@presencekit/test-utils';

// Regressions found by the frame fuzzer: presence data that the emulator stored but could not
// encode again. Every client attaching to the channel then failed (50000) and REST presence
// answered 500, so one hostile client took a room down for everyone.

type Format = 'json' | 'msgpack';

async function rawClient(e: Emulator, format: Format) {
  const ws = new WebSocket(
    `ws://${e.host}:${e.port}/?key=${encodeURIComponent(e.key)}&clientId=hostile&format=${format}`,
  );
  onCleanup(() => ws.terminate());
  const frames: { action: number; error?: { code: number } }[] = [];
  ws.on('message', (data: Buffer, isBinary) =>
    frames.push((isBinary ? msgpack.decode(data) : JSON.parse(data.toString())) as never),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (action: number) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = frames.find((f) => f.action === action);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no frame ${action}: ${JSON.stringify(frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const send = (frame: unknown, splice?: { marker: string; with: string | Buffer }) => {
    if (format === 'json') {
      const text = JSON.stringify(frame);
      ws.send(splice ? text.replace(`"${splice.marker}"`, splice.with as string) : text);
      return;
    }
    const bytes = msgpack.encode(frame, true);
    if (!splice) return ws.send(bytes);
    const marker = msgpack.encode(splice.marker);
    const at = bytes.indexOf(marker);
    ws.send(
      Buffer.concat([
        bytes.subarray(0, at),
        splice.with as Buffer,
        bytes.subarray(at + marker.length),
      ]),
    );
  };
  return { send, next };
}

async function expectChannelUsable(e: Emulator, channel: string): Promise<void> {
  const client = new Ably.Realtime(e.clientOptions({ clientId: 'innocent', logLevel: 0 }));
  onCleanup(() => closeRealtime(client));
  await client.channels.get(channel).attach();
  await client.channels.get(channel).presence.enter('ok');
  expect(client.connection.state).toBe('connected');
  const members = await new Ably.Rest(e.clientOptions({ logLevel: 0 })).channels
    .get(channel)
    .presence.get();
  expect(members.items.map((m) => m.clientId)).toEqual(['innocent']);
}

describe.each(['json', 'msgpack'] as const)('over %s', (format) => {
  test('presence data nested 20,000 deep is refused and the channel stays usable', async () => {
    const e = await emulator();
    const hostile = await rawClient(e, format);
    await hostile.next(4);
    hostile.send({ action: 10, channel: 'shared' });
    await hostile.next(11);
    const depth = 20_000;
    hostile.send(
      { action: 14, channel: 'shared', msgSerial: 0, presence: [{ action: 2, data: '@@' }] },
      {
        marker: '@@',
        with:
          format === 'json'
            ? `${'['.repeat(depth)}${']'.repeat(depth)}`
            : Buffer.concat([Buffer.alloc(depth, 0x91), Buffer.from([0x90])]),
      },
    );
    // JSON parses at any depth and only that publish is refused as too deep (a 40013 NACK);
    // msgpack's recursive decoder gives up first: the frame does not parse, the connection fails
    // (40000). Either way the sender is refused, nothing is stored.
    if (format === 'json') expect((await hostile.next(2)).error?.code).toBe(40013);
    else expect((await hostile.next(9)).error?.code).toBe(40000);
    expect(e.channel('shared').members).toEqual([]);
    await expectChannelUsable(e, 'shared');
  });
});

test('msgpack presence data with a "__proto__" key is refused and the channel stays usable', async () => {
  const e = await emulator();
  const hostile = await rawClient(e, 'msgpack');
  await hostile.next(4);
  hostile.send({ action: 10, channel: 'shared' });
  await hostile.next(11);
  // An own "__proto__" key: msgpack's decoder assigns it, turning the object into a fake Buffer.
  const data = {};
  Object.defineProperty(data, '__proto__', { value: Buffer.from([1, 2, 3]), enumerable: true });
  hostile.send({ action: 14, channel: 'shared', msgSerial: 0, presence: [{ action: 2, data }] });
  // Only that publish is refused (a NACK), not the connection.
  expect((await hostile.next(2)).error?.code).toBe(40013);
  expect(e.channel('shared').members).toEqual([]);
  await expectChannelUsable(e, 'shared');
});
