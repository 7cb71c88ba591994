import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BenchReport, BenchResult } from '../src/harness/types';

/**
 * Runs the whole harness in quick mode (small rooms, one run) and checks the report's shape and
 * that every side produced numbers. It asserts nothing about speed: that is what `pnpm bench`
 * reports, on purpose never a test.
 */

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'presencekit-bench-'));
let report: BenchReport;
let stdout: string;

beforeAll(async () => {
  for (const built of [
    '../packages/react/dist/index.js',
    '../packages/ably-emulator/dist/index.js',
  ]) {
    if (!existsSync(join(benchDir, built))) {
      throw new Error(`${built} is missing: run \`pnpm build\` before the bench smoke test.`);
    }
  }
  const run = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', 'src/cli.ts', '--quick', '--out', outDir],
    { cwd: benchDir, maxBuffer: 16 * 1024 * 1024, timeout: 230_000 },
  );
  stdout = run.stdout;
  report = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8')) as BenchReport;
}, 240_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function bench(id: string): BenchResult {
  const result = report.benchmarks.find((b) => b.id === id);
  expect(result, `benchmark ${id} in the report`).toBeDefined();
  expect(result!.status, result!.error).toBe('ok');
  return result!;
}

describe('pnpm bench --quick', () => {
  it('writes a well-formed report and prints the same table', () => {
    expect(report.schema).toBe(1);
    expect(report.quick).toBe(true);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(Date.parse(report.finishedAt)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
    expect(report.benchmarks.map((b) => b.id)).toEqual([
      'bundle-size',
      'emulator-capacity',
      'first-viewer-count',
      'presence-engine',
      'presence-list-browser',
    ]);
    const markdown = readFileSync(join(outDir, 'latest.md'), 'utf8');
    expect(stdout).toBe(markdown);
    for (const b of report.benchmarks) {
      expect(markdown).toContain(`### ${b.title}`);
      expect(b.rows.length).toBeGreaterThan(0);
      for (const row of b.rows) {
        expect(row.metrics.length).toBeGreaterThan(0);
        for (const m of row.metrics) {
          expect(['baseline/ours', 'ours/baseline']).toContain(m.ratioMeaning);
          expect(typeof m.unit).toBe('string');
        }
      }
    }
  });

  it('bundle size: a positive size for every entry, judged against its budget', () => {
    const size = bench('bundle-size');
    expect(size.rows.map((r) => r.case)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hooks:/), expect.stringMatching(/^styles:/)]),
    );
    const devtools = size.rows.find((r) => r.case.startsWith('<PresenceKitDevtools>'));
    const added = devtools?.metrics.find((m) => m.name === 'added min+gzip');
    expect(added?.ours).toBeGreaterThanOrEqual(0);
    expect(devtools?.metrics.find((m) => m.name.startsWith('development-only'))?.ours).toBe(0);
    const entries = size.rows.filter((r) => !r.case.startsWith('vs ') && r !== devtools);
    for (const row of entries) {
      const gzip = row.metrics.find((m) => m.name === 'min+gzip');
      expect(gzip?.ours).toBeGreaterThan(0);
      expect(gzip!.ours!).toBeLessThan(row.metrics.find((m) => m.name === 'minified')!.ours!);
    }
    expect(typeof size.targetMet).toBe('boolean');
  });

  it('bundle size: each set beside the official hooks, with the ratio', () => {
    const sets = bench('bundle-size').rows.filter((r) => r.case.startsWith('vs @ably/chat/react'));
    expect(sets).toHaveLength(2);
    for (const row of sets) {
      const gzip = row.metrics.find((m) => m.name === 'min+gzip')!;
      expect(gzip.ours).toBeGreaterThan(0);
      expect(gzip.baseline).toBeGreaterThan(0);
      expect(gzip.ratio).toBeCloseTo(gzip.ours! / gzip.baseline!, 6);
      // The development build keeps every check and sentence: never smaller.
      const development = row.metrics.find((m) => m.name.includes('development'))!;
      expect(development.ours!).toBeGreaterThanOrEqual(gzip.ours!);
    }
  });

  it('emulator capacity: latency, sync and memory for the emulator and the floor', () => {
    const capacity = bench('emulator-capacity');
    expect(capacity.rows).toHaveLength(1);
    const metrics = capacity.rows[0]!.metrics;
    const byName = (name: string) => metrics.find((m) => m.name.startsWith(name));
    for (const name of ['p50', 'p99', 'late joiner', 'memory per connection']) {
      const m = byName(name);
      expect(m, name).toBeDefined();
      expect(m!.ours, `${name} (emulator)`).toEqual(expect.any(Number));
      expect(m!.baseline, `${name} (floor)`).toEqual(expect.any(Number));
      expect(m!.ratio, `${name} ratio`).toEqual(expect.any(Number));
    }
    // Every enter reached the observer on both sides: the numbers above cover all of them.
    const delivered = byName('enters delivered')!;
    expect(delivered.ours).toBe(delivered.baseline);
    expect(delivered.ours).toBeGreaterThan(0);
  });

  it('first viewer count: ours produces a time with events on and off, the official one with events on', () => {
    const count = bench('first-viewer-count');
    expect(count.rows.map((r) => r.case)).toEqual(['occupancy events on', 'occupancy events off']);
    for (const row of count.rows) {
      const time = row.metrics.find((m) => m.name.startsWith('mount → right number'))!;
      expect(time.ours, row.case).toEqual(expect.any(Number));
      if (row.case === 'occupancy events on') expect(time.baseline).toEqual(expect.any(Number));
      const wrong = row.metrics.find((m) => m.name.startsWith('wrong numbers'))!;
      expect(wrong.ours).toEqual(expect.any(Number));
      expect(wrong.baseline).toEqual(expect.any(Number));
    }
  });

  it('presence engine: CPU, commits and settle time for both hooks in both phases', () => {
    const presence = bench('presence-engine');
    expect(presence.rows).toHaveLength(2);
    for (const row of presence.rows) {
      for (const m of row.metrics) {
        expect(m.ours, `${row.case}: ${m.name} (ours)`).toEqual(expect.any(Number));
        expect(m.baseline, `${row.case}: ${m.name} (official)`).toEqual(expect.any(Number));
      }
      const commits = row.metrics.find((m) => m.name === 'React commits')!;
      expect(commits.ours).toBeGreaterThan(0);
      expect(commits.baseline).toBeGreaterThan(0);
    }
  });

  it('presence list in Chromium: mount, change latency and DOM size for ours and both baselines', () => {
    const browser = bench('presence-list-browser');
    expect(browser.rows).toHaveLength(2);
    for (const row of browser.rows) {
      for (const name of ['mount', 'p50', 'p95', 'DOM nodes']) {
        const m = row.metrics.find((x) => x.name.startsWith(name));
        expect(m, `${row.case}: ${name}`).toBeDefined();
        expect(m!.ours, `${row.case}: ${name} (ours)`).toEqual(expect.any(Number));
        expect(m!.baseline, `${row.case}: ${name} (baseline)`).toEqual(expect.any(Number));
      }
    }
  });
});
