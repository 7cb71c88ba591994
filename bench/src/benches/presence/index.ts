import { median, medianOrNull, ratio, round } from '../../harness/stats';
import type { Bench, Metric, Row } from '../../harness/types';
import { startWorker } from '../../harness/worker';
import type { Side } from './observer';
import { makeStream, type PresenceEvent, type Status } from './stream';

type EmulatorHandlers = {
  start(options: Record<string, unknown>): Promise<{ port: number; key: string }>;
  channel(args: { name: string }): {
    connections: number;
    presenceMembers: number;
    members: string[];
  };
  stop(): Promise<void>;
};
type DriverHandlers = {
  connect(args: { port: number; key: string }): Promise<string>;
  prepare(args: { room: string }): Promise<void>;
  play(args: { room: string; events: PresenceEvent[]; rate: number }): Promise<{
    lastSentAt: number;
    lastAckAt: number;
  }>;
  close(): Promise<void>;
};
type ObserverHandlers = {
  mount(args: { side: Side; port: number; key: string; room: string }): Promise<void>;
  phase(args: { members: [string, string][]; events: number }): {
    cpu: NodeJS.CpuUsage;
    t: number;
  };
  sent(args: { startCpu: NodeJS.CpuUsage; timeoutMs: number }): Promise<{
    settledAt: number | null;
    cpuMs: number;
    commits: number;
    renderMs: number;
    frames: number;
    maxCommitsPerFrame: number;
  }>;
  unmount(): Promise<void>;
};

type PhaseName = 'enters' | 'churn';
interface PhaseSample {
  cpuMs: number;
  /** From the last event acknowledged to the list matching; null = not within the bound. */
  lagMs: number | null;
  commits: number;
  renderMs: number;
  maxCommitsPerFrame: number;
  events: number;
}

const SIDES: Side[] = ['ours', 'official', 'none'];

/**
 * Bench 1: our `usePresenceMembers` vs the official `usePresenceListener` on the same stream of
 * presence events, each side alone in the same observer process in alternating runs, plus a
 * no-hook run to subtract what the SDK costs by itself.
 */
export const presenceBench: Bench = {
  id: 'presence-engine',
  title: 'Bench 1 — presence engine vs the official hook',
  async run(ctx) {
    const sizes = ctx.quick ? [100] : [1000, 5000];
    const churnEvents = ctx.quick ? 60 : 2000;
    const rate = 1000;
    const timeoutMs = ctx.quick ? 15_000 : 60_000;
    const emulator = startWorker<EmulatorHandlers>(
      new URL('../../harness/emulator-worker.ts', import.meta.url),
    );
    const driver = startWorker<DriverHandlers>(new URL('./driver.ts', import.meta.url));
    const observer = startWorker<ObserverHandlers>(new URL('./observer.tsx', import.meta.url), {
      env: { NODE_ENV: 'production' },
      execArgv: ['--max-old-space-size=4096'],
    });
    const rows: Row[] = [];
    let met: boolean | null = null;
    let roomCount = 0;
    try {
      const address = await emulator.call('start', { leaveGraceMs: 1000 });
      const connectionId = await driver.call('connect', address);
      const expectedList = (members: Map<string, Status>): [string, string][] =>
        [...members].map(([clientId, status]) => [
          `${clientId}:${connectionId}`,
          `${clientId} ${status}`,
        ]);

      const runOnce = async (
        side: Side,
        members: number,
      ): Promise<Record<PhaseName, PhaseSample>> => {
        const stream = makeStream(members, churnEvents);
        const room = `presence-${members}-${roomCount++}`;
        await driver.call('prepare', { room });
        await observer.call('mount', { side, ...address, room });
        try {
          const result = {} as Record<PhaseName, PhaseSample>;
          for (const [name, events, after] of [
            ['enters', stream.enters, stream.afterEnters],
            ['churn', stream.churn, stream.afterChurn],
          ] as const) {
            const start = await observer.call('phase', {
              members: expectedList(after),
              events: events.length,
            });
            const played = await driver.call('play', { room, events, rate });
            const end = await observer.call('sent', { startCpu: start.cpu, timeoutMs });
            // The list must match the emulator, not only our own bookkeeping of the stream.
            const truth = await emulator.call('channel', { name: `${room}::$chat` });
            const wanted = expectedList(after)
              .map(([k]) => k)
              .sort();
            if (truth.members.join() !== wanted.join()) {
              throw new Error(
                `${room}: the emulator holds ${truth.members.length} members, expected ${wanted.length}`,
              );
            }
            result[name] = {
              cpuMs: end.cpuMs,
              lagMs: end.settledAt === null ? null : Math.max(0, end.settledAt - played.lastAckAt),
              commits: end.commits,
              renderMs: end.renderMs,
              maxCommitsPerFrame: end.maxCommitsPerFrame,
              events: events.length,
            };
          }
          return result;
        } finally {
          await observer.call('unmount');
        }
      };

      for (let i = 0; i < ctx.warmups; i++) {
        for (const side of SIDES) await runOnce(side, sizes[0]!);
      }
      for (const members of sizes) {
        const samples: Record<Side, Record<PhaseName, PhaseSample>[]> = {
          ours: [],
          official: [],
          none: [],
        };
        for (let run = 0; run < ctx.runs; run++) {
          // Rotate the order so no side always runs first (or right after another).
          const order = SIDES.map((_, i) => SIDES[(i + run) % SIDES.length]!);
          for (const side of order) {
            const sample = await runOnce(side, members);
            samples[side].push(sample);
            ctx.log(
              `presence: N=${members}, ${side}, run ${run + 1}: ` +
                (['enters', 'churn'] as const)
                  .map(
                    (p) =>
                      `${p} ${sample[p].cpuMs.toFixed(0)} ms CPU, ${sample[p].commits} commits, ` +
                      `max ${sample[p].maxCommitsPerFrame}/frame, lag ${sample[p].lagMs === null ? 'never' : `${sample[p].lagMs.toFixed(0)} ms`}`,
                  )
                  .join('; '),
            );
          }
        }
        for (const phase of ['enters', 'churn'] as const) {
          const events = samples.ours[0]![phase].events;
          const sdk = median(samples.none.map((s) => s[phase].cpuMs));
          // CPU the hook (+ React + DOM) adds over the SDK alone, per event, in microseconds.
          const perEvent = (side: Side) =>
            Math.max(0, ((median(samples[side].map((s) => s[phase].cpuMs)) - sdk) * 1000) / events);
          const ours = perEvent('ours');
          const official = perEvent('official');
          const stat = (side: Side, pick: (s: PhaseSample) => number) =>
            median(samples[side].map((s) => pick(s[phase])));
          const lag = (side: Side) => medianOrNull(samples[side].map((s) => s[phase].lagMs));
          const m = (
            name: string,
            unit: string,
            a: number | null,
            b: number | null,
            note?: string,
          ): Metric => {
            const r = ratio(b, a);
            return {
              name,
              unit,
              ours: a === null ? null : round(a),
              baseline: b === null ? null : round(b),
              ratio: r === null ? null : round(r, 3),
              ratioMeaning: 'baseline/ours',
              ...(note ? { note } : {}),
            };
          };
          const maxPerFrame = Math.max(...samples.ours.map((s) => s[phase].maxCommitsPerFrame));
          rows.push({
            case: `N=${members.toLocaleString('en')}, ${phase === 'enters' ? `${events} enters` : `${events} churn events`}`,
            metrics: [
              m(
                'CPU per event (minus SDK alone)',
                'us',
                ours,
                official,
                `SDK alone ${round((sdk * 1000) / events, 3)} us/event`,
              ),
              m(
                'React commits',
                'count',
                stat('ours', (s) => s.commits),
                stat('official', (s) => s.commits),
              ),
              m(
                'most commits in one frame',
                'count',
                maxPerFrame,
                Math.max(...samples.official.map((s) => s[phase].maxCommitsPerFrame)),
              ),
              m(
                'React render time (Profiler)',
                'ms',
                stat('ours', (s) => s.renderMs),
                stat('official', (s) => s.renderMs),
              ),
              m('last ack → list matches emulator', 'ms', lag('ours'), lag('official')),
            ],
          });
          if (members === sizes[sizes.length - 1] && !ctx.quick) {
            const r = ratio(official, ours);
            met = (met ?? true) && r !== null && r >= 10 && maxPerFrame <= 1;
          }
        }
      }
      return {
        ours: '@presencekit/react usePresenceMembers (its own providers)',
        baseline: '@ably/chat/react usePresenceListener (official providers)',
        target: '≥ 10× less CPU per event and ≤ 1 commit per animation frame at N = 5,000',
        targetMet: met,
        rows,
        notes: [
          `Stream: N enters, then ${churnEvents} churn events (about a third each enter / update / leave), seeded and identical for every side, played at ${rate} events/s by the real SDK (enterClient & co.) from its own process.`,
          'Each side runs alone in the same observer process (jsdom, React 19 production profiling build, real ably + @ably/chat), sides rotating from run to run; both render the same plain mapped <li> list. "SDK alone" is the same process with the room attached and a no-op presence listener, no React: its CPU is subtracted from both sides.',
          `CPU = process.cpuUsage() of the observer from the first event of a phase until the rendered list matches (bound ${timeoutMs / 1000} s). Commits and render time from <Profiler>; frames from a requestAnimationFrame loop (jsdom, 60 Hz).`,
        ],
      };
    } finally {
      await Promise.all([observer.stop(), driver.call('close').catch(() => undefined)]);
      await driver.stop();
      await emulator.call('stop').catch(() => undefined);
      await emulator.stop();
    }
  },
};
