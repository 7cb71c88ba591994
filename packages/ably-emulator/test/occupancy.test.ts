import * as Ably from 'ably';
import { describe, expect, test, vi } from 'vitest';
import { emulator, FORMATS, realtime } from './helpers.js';
import { RawClient } from './raw-client.js';

interface Metrics {
  connections: number;
  presenceMembers: number;
  publishers: number;
  subscribers: number;
  presenceConnections: number;
  presenceSubscribers: number;
}

describe.each(FORMATS)('inband occupancy over $name', ({ useBinaryProtocol }) => {
  test('metrics right after attach and on change, coalesced, only with the param', async () => {
    const e = await emulator({ occupancyDebounceMs: 50 });
    const observer = await realtime(e, { useBinaryProtocol });
    const events: Metrics[] = [];
    const ch = observer.channels.get('occ', { params: { occupancy: 'metrics' } });
    await ch.subscribe('[meta]occupancy', (m: Ably.Message) =>
      events.push((m.data as { metrics: Metrics }).metrics),
    );
    await vi.waitFor(() => expect(events[0]).toMatchObject({ connections: 1, presenceMembers: 0 }));
    expect(ch.params).toEqual({ occupancy: 'metrics' });

    const plain = await realtime(e, { useBinaryProtocol });
    const plainEvents: unknown[] = [];
    await plain.channels.get('occ').subscribe('[meta]occupancy', (m) => plainEvents.push(m));

    const joiners = await Promise.all(
      Array.from({ length: 10 }, (_, i) => realtime(e, { clientId: `j${i}`, useBinaryProtocol })),
    );
    await Promise.all(joiners.map((j) => j.channels.get('occ').presence.enter()));
    await vi.waitFor(() =>
      expect(events.at(-1)).toMatchObject({
        connections: 12,
        presenceMembers: 10,
        publishers: 12,
        subscribers: 12,
        presenceConnections: 12,
        presenceSubscribers: 12,
      }),
    );
    // 20 changes (10 attaches, 10 enters) were coalesced into far fewer events.
    expect(events.length).toBeLessThan(12);
    expect(plainEvents).toEqual([]);

    const details = await new Ably.Rest(e.clientOptions({ useBinaryProtocol })).channels
      .get('occ')
      .status();
    expect(details.status.occupancy.metrics).toMatchObject({
      connections: 12,
      presenceMembers: 10,
    });
    expect(details.status.isActive).toBe(true);
  });
});

describe.each(FORMATS)('who receives occupancy events, over $name', ({ useBinaryProtocol }) => {
  /** A client attached to `occ` with the occupancy param, its modes and capability as given. */
  async function watcher(
    e: Awaited<ReturnType<typeof emulator>>,
    modes: Ably.ChannelMode[] | undefined,
    ops: string[] = ['*'],
  ) {
    const token = e.createToken({ capability: { occ: ops } }).token;
    const client = await realtime(e, { key: undefined, token, useBinaryProtocol });
    const ch = client.channels.get('occ', {
      params: { occupancy: 'metrics' },
      ...(modes ? { modes } : {}),
    });
    const events: Metrics[] = [];
    // The listener is registered before the implicit attach: the event right after ATTACHED
    // cannot be missed.
    await ch.subscribe('[meta]occupancy', (m) =>
      events.push((m.data as { metrics: Metrics }).metrics),
    );
    return { client, events };
  }

  test('only attachments with SUBSCRIBE and the channel-metadata capability get them', async () => {
    const e = await emulator();
    // Ably: room occupancy needs "subscribe" and "channel-metadata" (Chat docs, SDK setup).
    const control = await watcher(e, undefined, ['subscribe', 'channel-metadata']);
    const publishOnly = await watcher(e, ['PUBLISH', 'PRESENCE']);
    const noMetadata = await watcher(e, undefined, ['subscribe', 'publish', 'presence']);
    const joiner = await realtime(e, { clientId: 'joiner', useBinaryProtocol });
    await joiner.channels.get('occ').presence.enter();
    await vi.waitFor(() =>
      expect(control.events.at(-1)).toMatchObject({ connections: 4, presenceMembers: 1 }),
    );
    // Everything sent to the others was written before this reply on their own sockets.
    await publishOnly.client.connection.ping();
    await noMetadata.client.connection.ping();
    expect(publishOnly.events).toEqual([]);
    expect(noMetadata.events).toEqual([]);
    // They still count: 4 connections, 2 of them publishers without subscribe rights.
    expect(control.events.at(-1)).toMatchObject({ publishers: 3, subscribers: 3 });
  });
});

test('occupancy frames carry [meta]occupancy with JSON data and encoding json', async () => {
  const e = await emulator();
  const raw = await RawClient.connect(e);
  raw.send({
    action: 10,
    channel: 'meta',
    params: { occupancy: 'metrics', agent: 'chat-js/1.4.0' },
  });
  const attached = await raw.next((m) => m.action === 11);
  expect(attached.params).toEqual({ occupancy: 'metrics' });
  const event = await raw.next((m) => m.action === 15);
  expect(raw.frames.indexOf(event)).toBeGreaterThan(raw.frames.indexOf(attached));
  expect(event.messages![0]).toMatchObject({ name: '[meta]occupancy', encoding: 'json' });
  expect(JSON.parse(event.messages![0]!.data as string)).toEqual({
    metrics: {
      connections: 1,
      publishers: 1,
      subscribers: 1,
      presenceConnections: 1,
      presenceMembers: 0,
      presenceSubscribers: 1,
      // The object modes are not among the default modes.
      objectPublishers: 0,
      objectSubscribers: 0,
    },
  });
});
