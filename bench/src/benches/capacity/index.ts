import { startWorker, type Worker } from '../../harness/worker';
import { median, medianOrNull, percentile, ratio, round } from '../../harness/stats';
import type { Bench, BenchContext, Metric, Row } from '../../harness/types';
import { CHANNEL, now, type Side } from './protocol';

type ServerHandlers = {
  start(args: { side: Side; frameBytes: number }): Promise<{ port: number; key: string }>;
  memory(): { heapUsed: number; rss: number; external: number };
  memberCount(args: { channel: string }): number;
  stop(): Promise<void>;
};
type CrowdHandlers = {
  connect(args: { side: Side; port: number; key: string; indices: number[] }): Promise<number>;
  enter(args: { side: Side; startAt: number; rate: number }): Promise<number>;
  stats(): {
    framesReceived: number;
    bytesReceived: number;
    presenceFrames: number;
    presenceBytes: number;
    clients: number;
  };
  close(): Promise<void>;
};
type ObserverHandlers = {
  observe(args: { side: Side; port: number; key: string; count: number }): Promise<void>;
  latencies(args: { timeoutMs: number }): Promise<number[]>;
  lateJoin(args: {
    side: Side;
    port: number;
    key: string;
    count: number;
    timeoutMs: number;
  }): Promise<{ ms: number | null; members: number }>;
  close(): Promise<void>;
};

/** One side, one room size, one run. */
interface Sample {
  p50: number | null;
  p99: number | null;
  delivered: number;
  syncMs: number | null;
  bytesPerConnection: number;
  presenceFrameBytes: number;
  crowdFrames: number;
}

const CROWD_PROCESSES = 2;

async function runOnce(
  side: Side,
  clients: number,
  rate: number,
  frameBytes: number,
  server: Worker<ServerHandlers>,
  crowd: Worker<CrowdHandlers>[],
  observer: Worker<ObserverHandlers>,
): Promise<Sample> {
  try {
    const { port, key } = await server.call('start', { side, frameBytes });
    const before = await server.call('memory');
    await Promise.all(
      crowd.map((worker, w) =>
        worker.call('connect', {
          side,
          port,
          key,
          indices: Array.from({ length: clients }, (_, i) => i).filter(
            (i) => i % crowd.length === w,
          ),
        }),
      ),
    );
    await observer.call('observe', { side, port, key, count: clients });
    const startAt = now() + 300;
    await Promise.all(crowd.map((worker) => worker.call('enter', { side, startAt, rate })));
    const latencies = await observer.call('latencies', { timeoutMs: 60_000 });
    const after = await server.call('memory');
    const stats = await Promise.all(crowd.map((worker) => worker.call('stats')));
    const truth = await server.call('memberCount', { channel: CHANNEL });
    const sync = await observer.call('lateJoin', {
      side,
      port,
      key,
      count: truth,
      timeoutMs: 30_000,
    });
    const complete = latencies.length === clients;
    const presenceFrames = stats.reduce((n, s) => n + s.presenceFrames, 0);
    return {
      // A lost enter never arrives: the percentiles are only meaningful when all did.
      p50: complete ? percentile(latencies, 50) : null,
      p99: complete ? percentile(latencies, 99) : null,
      delivered: latencies.length,
      syncMs: sync.ms,
      bytesPerConnection:
        (after.heapUsed + after.external - before.heapUsed - before.external) / clients,
      presenceFrameBytes: presenceFrames
        ? stats.reduce((n, s) => n + s.presenceBytes, 0) / presenceFrames
        : 0,
      crowdFrames: stats.reduce((n, s) => n + s.framesReceived, 0),
    };
  } finally {
    await Promise.all([...crowd.map((w) => w.call('close')), observer.call('close')]);
    await server.call('stop');
  }
}

function metric(name: string, unit: string, ours: number | null, floor: number | null): Metric {
  return {
    name,
    unit,
    ours: ours === null ? null : round(ours),
    baseline: floor === null ? null : round(floor),
    ratio: (() => {
      const r = ratio(ours, floor);
      return r === null ? null : round(r, 3);
    })(),
    ratioMeaning: 'ours/baseline',
  };
}

/**
 * Bench 5: the emulator with 500, 1,000 and 2,000 clients in one room, next to the floor (a bare
 * `ws` server doing the same fan-out of same-sized frames to the same sockets).
 */
export const capacityBench: Bench = {
  id: 'emulator-capacity',
  title: 'Bench 5 — emulator capacity (one room, N clients entering)',
  async run(ctx: BenchContext) {
    const sizes = ctx.sizes ?? (ctx.quick ? [40] : [500, 1000, 2000]);
    // Enters per second across the crowd: steady, below what either side saturates at, so the
    // latency is the per-event cost and not a queue (every enter is sent to every client).
    const rate = ctx.quick ? 400 : 50;
    const crowd = Array.from({ length: CROWD_PROCESSES }, () =>
      startWorker<CrowdHandlers>(new URL('./crowd.ts', import.meta.url)),
    );
    const observer = startWorker<ObserverHandlers>(new URL('./observer.ts', import.meta.url));
    // One long-lived process per side (a fresh server in it per run): both are JIT-warm after
    // the warm-up, as a server that has been running for a while would be.
    const servers: Record<Side, Worker<ServerHandlers>> = {
      emulator: startWorker<ServerHandlers>(new URL('./server.ts', import.meta.url)),
      floor: startWorker<ServerHandlers>(new URL('./server.ts', import.meta.url)),
    };
    const once = (side: Side, clients: number, frameBytes: number): Promise<Sample> =>
      runOnce(side, clients, rate, frameBytes, servers[side], crowd, observer);
    const rows: Row[] = [];
    let p99RatioAtLargest: number | null = null;
    try {
      // Warm-up: JIT on both sides, and the size of a presence frame for the floor to copy.
      const warmClients = Math.min(200, sizes[0]!);
      const frameBytes = Math.round((await once('emulator', warmClients, 0)).presenceFrameBytes);
      for (let i = 0; i < ctx.warmups; i++) {
        await once('floor', warmClients, frameBytes);
        if (i > 0) await once('emulator', warmClients, frameBytes);
      }
      ctx.log(`capacity: warmed up; a presence frame is ${frameBytes} B`);
      for (const clients of sizes) {
        const samples: Record<Side, Sample[]> = { emulator: [], floor: [] };
        for (let run = 0; run < ctx.runs; run++) {
          // Alternate which side goes first so drift (heat, page cache) hits both alike.
          const order: Side[] = run % 2 === 0 ? ['emulator', 'floor'] : ['floor', 'emulator'];
          for (const side of order) {
            const sample = await once(side, clients, frameBytes);
            samples[side].push(sample);
            ctx.log(
              `capacity: ${clients} clients, ${side}, run ${run + 1}: p50 ${sample.p50?.toFixed(2)} ms, ` +
                `p99 ${sample.p99?.toFixed(2)} ms, sync ${sample.syncMs?.toFixed(1)} ms, ` +
                `${Math.round(sample.bytesPerConnection)} B/connection, delivered ${sample.delivered}/${clients}`,
            );
          }
        }
        const med = (side: Side, pick: (s: Sample) => number | null): number | null =>
          medianOrNull(samples[side].map(pick));
        const p99 = metric(
          'p99 enter → observer',
          'ms',
          med('emulator', (s) => s.p99),
          med('floor', (s) => s.p99),
        );
        rows.push({
          case: `${clients} clients`,
          metrics: [
            metric(
              'p50 enter → observer',
              'ms',
              med('emulator', (s) => s.p50),
              med('floor', (s) => s.p50),
            ),
            p99,
            metric(
              'late joiner complete sync',
              'ms',
              med('emulator', (s) => s.syncMs),
              med('floor', (s) => s.syncMs),
            ),
            metric(
              'memory per connection (heap + external)',
              'bytes',
              med('emulator', (s) => s.bytesPerConnection),
              med('floor', (s) => s.bytesPerConnection),
            ),
            metric(
              'enters delivered to the observer',
              'count',
              median(samples.emulator.map((s) => s.delivered)),
              median(samples.floor.map((s) => s.delivered)),
            ),
          ],
        });
        if (clients === sizes[sizes.length - 1]) p99RatioAtLargest = p99.ratio;
      }
      return {
        ours: '@presencekit/ably-emulator (observer and late joiner: real ably SDK)',
        baseline:
          'floor: bare ws server (corked writes), same fan-out of same-sized frames, bare ws observer',
        target: 'p99 within 2× of the floor at 2,000 clients',
        targetMet: ctx.quick ? null : p99RatioAtLargest === null ? false : p99RatioAtLargest <= 2,
        rows,
        notes: [
          `Every client is attached with chat's modes (presence subscribe), so each enter goes to every client: N² deliveries per room. Enters arrive at a steady ${rate}/s; a presence frame is ${frameBytes} B and the floor pads its frames to that size.`,
          `Crowd: raw ws clients over ${CROWD_PROCESSES} processes speaking the Ably protocol (JSON). Observer and late joiner: the real ably SDK (msgpack) on the emulator, bare ws clients decoding JSON on the floor. Server, crowd and observer are separate processes on this 2-core machine; loopback only.`,
          'The floor batches its writes per event-loop turn (cork/uncork) as the emulator does. Latency = receive time at the observer − send time stamped in the enter (same machine clock). Late joiner: attach → presence.get() complete (floor: ask → last page parsed). Memory: server heap + external after GC, after − before the clients connected and entered, per client.',
        ],
      };
    } finally {
      await Promise.all([
        ...crowd.map((w) => w.stop()),
        observer.stop(),
        servers.emulator.stop(),
        servers.floor.stop(),
      ]);
    }
  },
};
