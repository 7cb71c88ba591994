import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { chromium } from 'playwright-core';

import { median, medianOrNull, percentile, ratio, round } from '../../harness/stats';
import type { Bench, Metric } from '../../harness/types';
import { startWorker } from '../../harness/worker';
import type { PresenceEvent } from '../presence/stream';
import type { Side } from './page';

type EmulatorHandlers = {
  start(options: Record<string, unknown>): Promise<{ port: number; key: string }>;
  channel(args: { name: string }): {
    connections: number;
    presenceMembers: number;
    members: string[];
  };
  token(args: { clientId: string }): unknown;
  stop(): Promise<void>;
};
type DriverHandlers = {
  connect(args: { port: number; key: string }): Promise<string>;
  prepare(args: { room: string }): Promise<void>;
  play(args: { room: string; events: PresenceEvent[]; rate: number }): Promise<unknown>;
  close(): Promise<void>;
};

/** The launch flags of the team's browser tests: no network chatter from a headless run. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const stylesheet = fileURLToPath(import.meta.resolve('@presencekit/react/styles.css'));

/** Bundles the page (React production build) and serves it on loopback. */
async function servePage(): Promise<{ url: string; server: Server }> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./page.tsx', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, [string, string | Uint8Array]> = {
    '/': [
      'text/html',
      '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/styles.css"></head>' +
        '<body><div id="root"></div><script type="module" src="/page.js"></script></body></html>',
    ],
    '/page.js': ['text/javascript', bundle.outputFiles[0]!.contents],
    '/styles.css': ['text/css', readFileSync(stylesheet)],
  };
  const server = createServer((req, res) => {
    const file = files[req.url ?? '/'];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server };
}

interface Sample {
  mountMs: number | null;
  domNodes: number;
  changes: (number | null)[];
}

/**
 * Bench 3: `<PresenceList>` with 10,000 members in real headless Chromium, then single presence
 * changes, next to the official `usePresenceListener` feeding a plain mapped list.
 */
export const browserBench: Bench = {
  id: 'presence-list-browser',
  title: 'Bench 3 — <PresenceList> in headless Chromium',
  async run(ctx) {
    const members = ctx.sizes?.[0] ?? (ctx.quick ? 300 : 10_000);
    const changes = ctx.quick ? 8 : 40;
    const mountTimeoutMs = ctx.quick ? 20_000 : 120_000;
    const changeTimeoutMs = 10_000;
    const room = 'big-room';
    const emulator = startWorker<EmulatorHandlers>(
      new URL('../../harness/emulator-worker.ts', import.meta.url),
    );
    const driver = startWorker<DriverHandlers>(new URL('../presence/driver.ts', import.meta.url));
    const page = await servePage();
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      const address = await emulator.call('start', {});
      await driver.call('connect', address);
      await driver.call('prepare', { room });
      const enters: PresenceEvent[] = Array.from({ length: members }, (_, i) => ({
        action: 'enter',
        clientId: `m-${i}`,
        status: 'online',
      }));
      await driver.call('play', { room, events: enters, rate: 5000 });
      const truth = await emulator.call('channel', { name: `${room}::$chat` });
      if (truth.presenceMembers !== members) {
        throw new Error(`the room holds ${truth.presenceMembers} members, expected ${members}`);
      }
      const statuses = ['away', 'busy', 'online'] as const;
      let changeCount = 0;

      const runOnce = async (side: Side, measuredChanges: number): Promise<Sample> => {
        const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
        try {
          const tab = await context.newPage();
          await tab.goto(page.url);
          await tab.waitForFunction(() => 'bench' in window);
          const token = await emulator.call('token', { clientId: `viewer-${side}` });
          const mounted = await tab.evaluate(
            (args) =>
              (
                window as unknown as {
                  bench: {
                    mount(a: unknown): Promise<{ mountMs: number | null; domNodes: number }>;
                  };
                }
              ).bench.mount(args),
            { side, port: address.port, token, room, members, timeoutMs: mountTimeoutMs },
          );
          const sample: Sample = { ...mounted, changes: [] };
          if (mounted.mountMs === null) return sample;
          for (let i = 0; i < measuredChanges; i++) {
            // One visible member (the first five joined first) changes status.
            const n = changeCount++;
            await tab.evaluate(
              (t) => (window as unknown as { bench: { arm(t: number): void } }).bench.arm(t),
              changeTimeoutMs,
            );
            await driver.call('play', {
              room,
              events: [
                {
                  action: 'update',
                  clientId: `m-${n % 5}`,
                  status: statuses[Math.floor(n / 5) % 3]!,
                },
              ],
              rate: 1000,
            });
            sample.changes.push(
              await tab.evaluate(() =>
                (
                  window as unknown as { bench: { settle(): Promise<number | null> } }
                ).bench.settle(),
              ),
            );
          }
          sample.domNodes = Math.max(
            sample.domNodes,
            await tab.evaluate(() =>
              (window as unknown as { bench: { domNodes(): number } }).bench.domNodes(),
            ),
          );
          return sample;
        } finally {
          await context.close();
        }
      };

      for (let i = 0; i < ctx.warmups; i++) {
        await runOnce('ours', 3);
        await runOnce('official', 3);
      }
      const samples: Record<Side, Sample[]> = { ours: [], official: [] };
      for (let run = 0; run < ctx.runs; run++) {
        const order: Side[] = run % 2 === 0 ? ['ours', 'official'] : ['official', 'ours'];
        for (const side of order) {
          const sample = await runOnce(side, changes);
          samples[side].push(sample);
          const measured = sample.changes.filter((c): c is number => c !== null);
          ctx.log(
            `browser: ${side}, run ${run + 1}: mount ${sample.mountMs === null ? 'never' : `${sample.mountMs.toFixed(0)} ms`}, ` +
              `${sample.domNodes} DOM nodes, change p50 ${percentile(measured, 50).toFixed(1)} ms / p95 ${percentile(measured, 95).toFixed(1)} ms (${measured.length}/${sample.changes.length})`,
          );
        }
      }
      const pooled = (side: Side) => samples[side].flatMap((s) => s.changes);
      const pct = (side: Side, p: number): number | null => {
        const all = pooled(side);
        const numbers = all.filter((c): c is number => c !== null);
        // A change that never painted within the bound ranks last.
        if (!all.length || numbers.length * (100 / p) < all.length) return null;
        return percentile(
          all.map((c) => c ?? Infinity),
          p,
        );
      };
      const m = (
        name: string,
        unit: string,
        a: number | null,
        b: number | null,
        meaning: 'baseline/ours' = 'baseline/ours',
      ): Metric => {
        const r = ratio(b, a);
        return {
          name,
          unit,
          ours: a === null ? null : round(a),
          baseline: b === null ? null : round(b),
          ratio: r === null ? null : round(r, 3),
          ratioMeaning: meaning,
        };
      };
      const p95 = { ours: pct('ours', 95), official: pct('official', 95) };
      const nodes = {
        ours: median(samples.ours.map((s) => s.domNodes)),
        official: median(samples.official.map((s) => s.domNodes)),
      };
      const p95Ratio = ratio(p95.official, p95.ours);
      return {
        ours: '@presencekit/react <PresenceList variant="list"> (its own providers, styles.css)',
        baseline: '@ably/chat/react usePresenceListener → plain mapped <ul> (official providers)',
        target: 'p95 change → painted ≥ 10× lower than the baseline, and < 300 DOM nodes',
        targetMet: ctx.quick ? null : p95Ratio !== null && p95Ratio >= 10 && nodes.ours < 300,
        rows: [
          {
            case: `${members.toLocaleString('en')} members`,
            metrics: [
              m(
                'mount → all members shown (painted)',
                'ms',
                medianOrNull(samples.ours.map((s) => s.mountMs)),
                medianOrNull(samples.official.map((s) => s.mountMs)),
              ),
              m('p50 change → painted frame', 'ms', pct('ours', 50), pct('official', 50)),
              m('p95 change → painted frame', 'ms', p95.ours, p95.official),
              m('DOM nodes', 'count', nodes.ours, nodes.official),
            ],
          },
        ],
        notes: [
          `${members.toLocaleString('en')} members entered (enterClient from one connection) before each page mounts; then ${changes} single changes per run, one at a time: a status update of one of the five members who joined first (visible at the top of both lists).`,
          'Times are taken inside the page: mount = render() (new Realtime + ChatClient, connect, attach, SYNC) → the painted frame showing all members (ours: rows with aria-setsize = N; baseline: N <li>). Change = arrival of the next WebSocket frame → the first DOM mutation after it → requestAnimationFrame → a task (the frame is painted).',
          `Debian Chromium headless (${CHROMIUM_ARGS.join(' ')}), 1024×768, a fresh browser context per run, sides alternating; the page is bundled by esbuild with React's production build. Change percentiles pool every run's changes.`,
        ],
      };
    } finally {
      await browser.close();
      await new Promise((resolve) => page.server.close(resolve));
      await driver.call('close').catch(() => undefined);
      await driver.stop();
      await emulator.call('stop').catch(() => undefined);
      await emulator.stop();
    }
  },
};
