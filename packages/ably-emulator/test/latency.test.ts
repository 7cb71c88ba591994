import * as Ably from 'ably';
import { describe, expect, test } from 'vitest';
import { Latency } from '../src/transport/latency.js';
import { emulator, FORMATS, realtime, rest } from './helpers.js';

const LATENCY_MS = 100;

/** How long an SDK round trip takes: a realtime `ping()` and a REST `time()`. */
async function roundTrips(client: Ably.Realtime, restClient: Ably.Rest) {
  await client.connection.ping(); // warm up
  const pingStart = performance.now();
  await client.connection.ping();
  const ping = performance.now() - pingStart;
  const timeStart = performance.now();
  await restClient.time();
  return { ping, time: performance.now() - timeStart };
}

describe.each(FORMATS)('latencyMs over $name', ({ useBinaryProtocol }) => {
  test('every frame waits latencyMs each way, every REST request and answer too', async () => {
    const plain = await emulator();
    const slow = await emulator({ latencyMs: LATENCY_MS });
    const fast = await roundTrips(
      await realtime(plain, { useBinaryProtocol }),
      rest(plain, { useBinaryProtocol }),
    );
    const slowStart = performance.now();
    const client = await realtime(slow, { useBinaryProtocol });
    // The connect request one way, CONNECTED the other.
    expect(performance.now() - slowStart).toBeGreaterThanOrEqual(2 * LATENCY_MS - 1);
    const delayed = await roundTrips(client, rest(slow, { useBinaryProtocol }));
    // Lower bounds only: a loaded machine makes both slower, never the delayed one faster.
    expect(delayed.ping).toBeGreaterThanOrEqual(2 * LATENCY_MS - 1);
    expect(delayed.time).toBeGreaterThanOrEqual(2 * LATENCY_MS - 1);
    expect(delayed.ping).toBeGreaterThan(fast.ping);
    expect(delayed.time).toBeGreaterThan(fast.time);
  });

  test('with jitter, frames of one connection keep their order both ways', async () => {
    const e = await emulator({ latencyMs: 20, latencyJitterMs: 20 });
    const publisher = await realtime(e, { useBinaryProtocol });
    const subscriber = await realtime(e, { useBinaryProtocol: !useBinaryProtocol });
    const received: string[] = [];
    const sub = subscriber.channels.get('order');
    const all = new Promise<void>((resolve) => {
      void sub.subscribe((m) => {
        received.push(m.data as string);
        if (received.length === 40) resolve();
      });
    });
    await sub.attach();
    const pub = publisher.channels.get('order');
    await pub.attach();
    const sent = Array.from({ length: 40 }, (_, i) => `m${i}`);
    // Not awaited one by one: 40 frames in flight at once, each with its own delay.
    await Promise.all(sent.map((data) => pub.publish('n', data)));
    await all;
    expect(received).toEqual(sent);
    // Presence too: an enter, updates and a leave arrive as they were sent.
    const events: string[] = [];
    void sub.presence.subscribe((m) => events.push(`${m.action}:${m.data as string}`));
    const presence = pub.presence;
    await Promise.all([
      presence.enterClient('p', 'a'),
      presence.updateClient('p', 'b'),
      presence.updateClient('p', 'c'),
      presence.leaveClient('p', 'd'),
    ]);
    await expect.poll(() => events.length).toBe(4);
    expect(events).toEqual(['enter:a', 'update:b', 'update:c', 'leave:d']);
  });
});

test('jitter is drawn from the seed: the same seed gives the same delays', () => {
  const draw = (seed: number) => {
    const latency = new Latency(50, 20, seed);
    return Array.from({ length: 20 }, () => latency.sample());
  };
  expect(draw(7)).toEqual(draw(7));
  expect(draw(7)).not.toEqual(draw(8));
  for (const delay of draw(7)) {
    expect(delay).toBeGreaterThanOrEqual(30);
    expect(delay).toBeLessThanOrEqual(70);
  }
  expect(new Latency(0, 0, 1).enabled).toBe(false);
});

test('latencyMs and latencyJitterMs come from the options (seeded by seed)', async () => {
  const e = await emulator({ latencyMs: 5, latencyJitterMs: 2, seed: 42 });
  expect(e.options).toMatchObject({ latencyMs: 5, latencyJitterMs: 2, seed: 42 });
  expect((await emulator()).options).toMatchObject({ latencyMs: 0, latencyJitterMs: 0 });
});
