import { populate, waitFor } from '../../harness/population';
import { medianOrNull, median, ratio, round } from '../../harness/stats';
import type { Bench, Metric, Row } from '../../harness/types';
import { startWorker } from '../../harness/worker';
import type { Side } from './viewer';

type EmulatorHandlers = {
  start(options: Record<string, unknown>): Promise<{ port: number; key: string }>;
  channel(args: { name: string }): {
    connections: number;
    presenceMembers: number;
    members: string[];
  };
  stop(): Promise<void>;
};
type ViewerHandlers = {
  mount(args: {
    side: Side;
    port: number;
    key: string;
    room: string;
    events: boolean;
    expected: { connections: number; presenceMembers: number };
    timeoutMs: number;
    clientId: string;
  }): Promise<{
    msToRight: number | null;
    wrongBeforeRight: number;
    firstDataRight: boolean;
    commits: number;
  }>;
};

type Sample = Awaited<ReturnType<ViewerHandlers['mount']>>;

/**
 * Bench 2: from mounting a viewer count to the right number on screen, ours vs the official
 * `useOccupancy`, with the room's occupancy events on and off.
 */
export const occupancyBench: Bench = {
  id: 'first-viewer-count',
  title: 'Bench 2 — first correct viewer count',
  async run(ctx) {
    const present = ctx.quick ? 3 : 20;
    const timeoutMs = ctx.quick ? 3000 : 10_000;
    const room = 'first-count';
    const emulator = startWorker<EmulatorHandlers>(
      new URL('../../harness/emulator-worker.ts', import.meta.url),
    );
    const viewer = startWorker<ViewerHandlers>(new URL('./viewer.tsx', import.meta.url), {
      env: { NODE_ENV: 'production' },
    });
    const rows: Row[] = [];
    let met = true;
    try {
      const address = await emulator.call('start', {});
      const population = await populate(address, room, present);
      const expected = { connections: present, presenceMembers: present };
      await waitFor(
        async () =>
          (await emulator.call('channel', { name: `${room}::$chat` })).presenceMembers === present,
        'the room to fill',
      );
      let mounts = 0;
      const mount = async (side: Side, events: boolean): Promise<Sample> => {
        const sample = await viewer.call('mount', {
          side,
          ...address,
          room,
          events,
          expected,
          timeoutMs,
          clientId: `viewer-${mounts++}`,
        });
        // The viewer's connection is gone before the next one mounts.
        await waitFor(
          async () =>
            (await emulator.call('channel', { name: `${room}::$chat` })).connections === present,
          'the viewer to leave',
        );
        return sample;
      };
      for (const events of [true, false]) {
        for (let i = 0; i < ctx.warmups; i++) {
          await mount('ours', events);
          await mount('official', events);
        }
        const samples: Record<Side, Sample[]> = { ours: [], official: [] };
        for (let run = 0; run < ctx.runs; run++) {
          const order: Side[] = run % 2 === 0 ? ['ours', 'official'] : ['official', 'ours'];
          for (const side of order) {
            const sample = await mount(side, events);
            samples[side].push(sample);
            ctx.log(
              `first count: events ${events ? 'on' : 'off'}, ${side}, run ${run + 1}: ` +
                `${sample.msToRight === null ? 'never' : `${sample.msToRight.toFixed(1)} ms`}, ` +
                `${sample.wrongBeforeRight} wrong commit(s) first`,
            );
          }
        }
        const time = (side: Side) => medianOrNull(samples[side].map((s) => s.msToRight));
        const wrong = (side: Side) => median(samples[side].map((s) => s.wrongBeforeRight));
        const firstRight = (side: Side) =>
          (100 * samples[side].filter((s) => s.firstDataRight).length) / samples[side].length;
        const ours = time('ours');
        const official = time('official');
        met &&=
          ours !== null && samples.ours.every((s) => s.firstDataRight && s.wrongBeforeRight === 0);
        const r = ratio(official, ours);
        const m = (
          name: string,
          unit: string,
          a: number | null,
          b: number | null,
          rr: number | null,
          note?: string,
        ): Metric => ({
          name,
          unit,
          ours: a === null ? null : round(a),
          baseline: b === null ? null : round(b),
          ratio: rr === null ? null : round(rr, 3),
          ratioMeaning: 'baseline/ours',
          ...(note ? { note } : {}),
        });
        rows.push({
          case: `occupancy events ${events ? 'on' : 'off'}`,
          metrics: [
            m(
              'mount → right number on screen',
              'ms',
              ours,
              official,
              r,
              official === null ? `official: never within ${timeoutMs / 1000} s` : undefined,
            ),
            m('wrong numbers painted first', 'commits', wrong('ours'), wrong('official'), null),
            m(
              'first number painted is right',
              '% of runs',
              firstRight('ours'),
              firstRight('official'),
              null,
            ),
          ],
        });
      }
      await population.close();
      return {
        ours: '@presencekit/react useOccupancy (its own providers)',
        baseline: '@ably/chat/react useOccupancy (official providers)',
        target: 'ours right on its first data commit (no wrong number painted first)',
        targetMet: met,
        rows,
        notes: [
          `${present} connections in the room, each with one presence member, before the viewer mounts. "Right" = presenceMembers ${present} and connections ${present} or ${present + 1} (the viewer's own connection may or may not be counted yet). Bound: ${timeoutMs / 1000} s; "never" = not right within it.`,
          'Each mount creates a new ably Realtime + ChatClient (connect, attach, first numbers all included), mounts in jsdom with React 19 production (profiling build), and is closed before the next. Sides alternate; emulator in its own process with default settings (occupancy events debounced 100 ms).',
          'Ours shows a placeholder while loading (not a number); a "wrong number" is a commit that shows a count other than the right one (e.g. 0).',
        ],
      };
    } finally {
      await viewer.stop();
      await emulator.call('stop').catch(() => undefined);
      await emulator.stop();
    }
  },
};
