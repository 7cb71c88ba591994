import { expect, test, vi } from 'vitest';

import { EmulatorProcess } from '../harness/emulator-process';
import { emptyStats, fuzzFrames } from '../harness/frame-fuzzer';
import { seeded, seedsFor } from '../harness/rng';
import { onCleanup } from '../harness/cleanup';
import {
  VICTIM_CHANNEL,
  VICTIM_ROOM_CHANNEL,
  WellBehavedClients,
} from '../harness/well-behaved-clients';

/** Frames per run; raise it locally (`PRESENCEKIT_FUZZ_FRAMES=50000`) for a longer fuzz. */
const FRAMES = Number(process.env.PRESENCEKIT_FUZZ_FRAMES ?? 3000);
const MAX_FRAME_SIZE = 1024 * 1024;
/**
 * Heap the emulator may keep after the fuzz, over its warmed-up baseline: what the fuzzer
 * legitimately left behind (channels and their two minutes of history), not a leak per frame.
 */
const HEAP_GROWTH_LIMIT = 24 * 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

test.for(seedsFor('fuzz-frames'))(
  'random and mutated frames: the server stays up, memory stays bounded, other clients are untouched (seed %i)',
  async (seed) => {
    const { rng } = seeded('fuzz-frames', seed);
    const proc = await EmulatorProcess.start({
      leaveGraceMs: 100,
      // Fuzz connections that vanish are resumable this long; short, so they are gone when we measure.
      connectionStateTtlMs: 1_500,
      occupancyDebounceMs: 10,
      maxFrameSize: MAX_FRAME_SIZE,
    });
    onCleanup(() => proc.stop());
    const clients = await WellBehavedClients.start(proc);
    onCleanup(() => clients.close());
    const fuzz = {
      address: proc.address,
      concurrency: 6,
      protectedChannels: [VICTIM_CHANNEL, VICTIM_ROOM_CHANNEL],
      maxFrameSize: MAX_FRAME_SIZE,
    };
    const stats = emptyStats();
    const onlyVictimsLeft = () =>
      vi.waitFor(async () => expect(await proc.connectionCount()).toBe(2), {
        timeout: 30_000,
        interval: 200,
      });

    // Warm-up: the code paths, caches and channels the fuzzer touches exist before the baseline.
    const warmUp = Math.floor(FRAMES / 5);
    await fuzzFrames(rng, { ...fuzz, frames: warmUp }, stats);
    await clients.act();
    await onlyVictimsLeft();
    const baseline = await proc.heap();

    // The fuzz proper, while the well-behaved clients keep publishing and updating presence.
    await clients.actWhile(fuzzFrames(rng, { ...fuzz, frames: FRAMES - warmUp }, stats));
    await onlyVictimsLeft();
    await clients.settle();
    const after = await proc.heap();
    const problems = await clients.verify(proc);
    const suspicious = await proc.suspicious();

    console.log(
      `[fuzz-frames] seed=${rng.seed} frames=${stats.framesSent} unencodable=${stats.unencodable} ` +
        `sessions=${stats.sessions} ` +
        `refused=${stats.refused} kinds=${JSON.stringify(stats.byKind)} ` +
        `replies=${JSON.stringify(stats.replies)} closes=${JSON.stringify(stats.closeCodes)} ` +
        `heap ${mb(baseline.heapUsed)} → ${mb(after.heapUsed)} (rss ${mb(after.rss)}) ` +
        `channels=${await proc.channelCount()} problems=${problems.length}`,
    );
    expect(proc.exited).toBeUndefined();
    // Every frame of the budget was sent, bar the few the harness could not encode itself.
    expect(stats.framesSent + stats.unencodable).toBe(FRAMES);
    expect(stats.framesSent).toBeGreaterThan(FRAMES * 0.95);
    // Every frame the server sent back was well-formed.
    expect(stats.replies[-2] ?? 0).toBe(0);
    expect(suspicious).toEqual([]);
    expect(problems).toEqual([]);
    expect(after.heapUsed - baseline.heapUsed).toBeLessThan(HEAP_GROWTH_LIMIT);
  },
);
