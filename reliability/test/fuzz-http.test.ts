import { expect, test, vi } from 'vitest';

import { EmulatorProcess } from '../harness/emulator-process';
import { emptyHttpStats, fuzzHttp } from '../harness/http-fuzzer';
import { createRng, seeded, seedsFor } from '../harness/rng';
import { onCleanup } from '../harness/cleanup';
import {
  VICTIM_CHANNEL,
  VICTIM_ROOM_CHANNEL,
  WellBehavedClients,
} from '../harness/well-behaved-clients';

/** Requests per run; raise it locally (`PRESENCEKIT_FUZZ_REQUESTS=50000`) for a longer fuzz. */
const REQUESTS = Number(process.env.PRESENCEKIT_FUZZ_REQUESTS ?? 2500);
/** Heap the emulator may keep over its warmed-up baseline (apps created, channel history). */
const HEAP_GROWTH_LIMIT = 24 * 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

test.for(seedsFor('fuzz-http'))(
  'random REST requests: no 5xx, Ably-shaped errors, other sites refused, bounded memory, other clients untouched (seed %i)',
  async (seed) => {
    const { rng } = seeded('fuzz-http', seed);
    const proc = await EmulatorProcess.start({ leaveGraceMs: 100, occupancyDebounceMs: 10 });
    onCleanup(() => proc.stop());
    const clients = await WellBehavedClients.start(proc);
    onCleanup(() => clients.close());
    const expired = await proc.createToken({ clientId: 'late', ttl: 1 });
    const valid = await proc.createToken({ clientId: 'fuzzer', ttl: 3_600_000 });
    // Let the short token run out.
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(expired.expires));
    const fuzz = {
      address: proc.address,
      credentials: {
        key: proc.address.key,
        token: valid.token,
        expiredToken: expired.token,
        appId: proc.address.key.split('.')[0]!,
      },
      concurrency: 8,
      protectedChannels: [VICTIM_CHANNEL, VICTIM_ROOM_CHANNEL],
      headerRng: createRng(seed + 1),
    };
    const stats = emptyHttpStats();

    const warmUp = Math.floor(REQUESTS / 5);
    await fuzzHttp(rng, { ...fuzz, requests: warmUp }, stats);
    await clients.act();
    const baseline = await proc.heap();

    await clients.actWhile(fuzzHttp(rng, { ...fuzz, requests: REQUESTS - warmUp }, stats));
    await clients.settle();
    const after = await proc.heap();
    const problems = await clients.verify(proc);
    const suspicious = await proc.suspicious();

    console.log(
      `[fuzz-http] seed=${rng.seed} requests=${stats.requests} raw=${stats.rawSockets} ` +
        `status=${JSON.stringify(stats.byStatus)} routes=${JSON.stringify(stats.byRoute)} ` +
        `heap ${mb(baseline.heapUsed)} → ${mb(after.heapUsed)} (rss ${mb(after.rss)}) ` +
        `findings=${stats.problems.length} problems=${problems.length}`,
    );
    expect(proc.exited).toBeUndefined();
    expect(stats.requests + stats.rawSockets).toBe(REQUESTS);
    expect(stats.problems).toEqual([]);
    expect(suspicious).toEqual([]);
    expect(problems).toEqual([]);
    expect(after.heapUsed - baseline.heapUsed).toBeLessThan(HEAP_GROWTH_LIMIT);
  },
);
