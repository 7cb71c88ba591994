import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { browserBench } from './benches/browser';
import { capacityBench } from './benches/capacity';
import { occupancyBench } from './benches/occupancy';
import { presenceBench } from './benches/presence';
import { sizeBench } from './benches/size';
import { reportMarkdown } from './harness/report';
import type { Bench, BenchReport, BenchResult } from './harness/types';

/**
 * `pnpm bench [--quick] [--only id,id] [--runs N] [--warmups N] [--out dir] [--sizes 5000]
 * [--sides ours,none]`: runs every benchmark, prints a markdown table to stdout and writes
 * `latest.json` + `latest.md` to `--out` (default `bench/results`). Progress goes to stderr.
 * `BENCH_CPU_PROF=<dir>` makes every worker process write a V8 CPU profile there.
 */

const BENCHES: Bench[] = [sizeBench, capacityBench, occupancyBench, presenceBench, browserBench];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    warmups: { type: 'string' },
    out: { type: 'string' },
    sizes: { type: 'string' },
    sides: { type: 'string' },
  },
});

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const quick = values.quick ?? false;
const runs = values.runs ? Number(values.runs) : quick ? 1 : 3;
const warmups = values.warmups ? Number(values.warmups) : quick ? 0 : 1;
const outDir = resolve(values.out ?? resolve(benchDir, 'results'));
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((id) => !BENCHES.some((b) => b.id === id)) ?? [];
if (unknown.length) {
  console.error(
    `Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHES.map((b) => b.id).join(', ')}.`,
  );
  process.exit(2);
}

function version(pkg: string): string {
  try {
    const file = resolve(benchDir, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const log = (line: string): void => void process.stderr.write(`› ${line}\n`);
const startedAt = new Date().toISOString();
const loadAtStart = loadavg()[0]!;
const results: BenchResult[] = [];
for (const bench of BENCHES) {
  if (only && !only.includes(bench.id)) continue;
  log(`${bench.title}`);
  const t0 = performance.now();
  try {
    const result = await bench.run({
      quick,
      runs,
      warmups,
      log,
      ...(values.sizes ? { sizes: values.sizes.split(',').map(Number) } : {}),
      ...(values.sides ? { sides: values.sides.split(',') } : {}),
    });
    results.push({
      id: bench.id,
      title: bench.title,
      status: 'ok',
      warmups,
      runs,
      durationMs: Math.round(performance.now() - t0),
      ...result,
    });
  } catch (error) {
    log(
      `${bench.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    results.push({
      id: bench.id,
      title: bench.title,
      ours: '',
      baseline: '',
      target: '',
      targetMet: null,
      status: 'error',
      error: error instanceof Error ? error.message : String(error),
      warmups,
      runs,
      durationMs: Math.round(performance.now() - t0),
      rows: [],
      notes: [],
    });
  }
}

const cpu = cpus();
const report: BenchReport = {
  schema: 1,
  startedAt,
  finishedAt: new Date().toISOString(),
  quick,
  machine: {
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: {
      start: Math.round(loadAtStart * 100) / 100,
      end: Math.round(loadavg()[0]! * 100) / 100,
    },
  },
  versions: {
    react: version('react'),
    ably: version('ably'),
    '@ably/chat': version('@ably/chat'),
    '@presencekit/react': version('@presencekit/react'),
  },
  benchmarks: results,
};

mkdirSync(outDir, { recursive: true });
const markdown = reportMarkdown(report);
writeFileSync(resolve(outDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
writeFileSync(resolve(outDir, 'latest.md'), markdown);
process.stdout.write(markdown);
log(`wrote ${resolve(outDir, 'latest.json')} and latest.md`);
process.exitCode = results.some((r) => r.status === 'error') ? 1 : 0;
