// `pnpm soak`: explores random seeds, which `npm test` never does (its seeds are fixed in
// harness/seeds.ts), and prints every seed that failed so it can be added there.
//
//   pnpm soak               one long run of each: chaos 5 min, 30,000 fuzz frames and requests
//   pnpm soak --seeds <n>   <n> random chaos seeds, each as long as the CI run (15 s)
//
// PRESENCEKIT_CHAOS_MS, PRESENCEKIT_FUZZ_FRAMES and PRESENCEKIT_FUZZ_REQUESTS still override.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function parseArgs(argv) {
  const args = argv.filter((a) => a !== '--');
  if (args.length === 0) return { seeds: undefined };
  const [flag, value] = args[0].includes('=') ? args[0].split('=', 2) : [args[0], args[1]];
  const seeds = Number(value);
  if (
    flag !== '--seeds' ||
    !Number.isInteger(seeds) ||
    seeds < 1 ||
    args.length > (args[0].includes('=') ? 1 : 2)
  ) {
    console.error('usage: pnpm soak [--seeds <n>]   (n: how many random chaos seeds to run)');
    process.exit(2);
  }
  return { seeds };
}

const { seeds } = parseArgs(process.argv.slice(2));
const env = { ...process.env };
let files;
if (seeds === undefined) {
  env.PRESENCEKIT_RANDOM_SEEDS = '1';
  env.PRESENCEKIT_CHAOS_MS ??= '300000';
  env.PRESENCEKIT_FUZZ_FRAMES ??= '30000';
  env.PRESENCEKIT_FUZZ_REQUESTS ??= '30000';
  files = ['test/chaos', 'test/fuzz-'];
} else {
  env.PRESENCEKIT_RANDOM_SEEDS = String(seeds);
  files = ['test/chaos'];
}

const out = mkdtempSync(join(tmpdir(), 'presencekit-soak-'));
const report = join(out, 'report.json');
const code = await new Promise((resolve) => {
  const child = spawn(
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'vitest.config.ts',
      '--project',
      'reliability',
      '--project',
      'reliability-jsdom',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...files,
    ],
    { cwd: root, env, stdio: 'inherit' },
  );
  // Ctrl-C stops the run and its emulators (the tests stop what they start).
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});

/** `label → { seeds, failed }` from the test titles ("… (seed 123)") in the JSON report. */
const outcomes = new Map();
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of results.testResults) {
    const label = file.name.match(/(chaos|fuzz-frames|fuzz-http)\.test\.tsx?$/)?.[1];
    if (!label) continue;
    for (const test of file.assertionResults) {
      const seed = test.title.match(/\(seed (\d+)\)$/)?.[1];
      if (!seed) continue;
      const entry = outcomes.get(label) ?? { seeds: 0, failed: [] };
      entry.seeds++;
      if (test.status !== 'passed') entry.failed.push(seed);
      outcomes.set(label, entry);
    }
  }
} catch (error) {
  console.error(`soak: no test report (${error.message}); the run itself failed (exit ${code})`);
  process.exit(code || 1);
} finally {
  rmSync(out, { recursive: true, force: true });
}

let failures = 0;
for (const [label, { seeds: n, failed }] of outcomes) {
  failures += failed.length;
  console.log(
    `${label}: ${n} seeds, ${failed.length} failed${failed.length ? ` (${failed.join(' ')})` : ''}`,
  );
}
if (failures > 0) {
  console.log(
    'Replay one with PRESENCEKIT_SEED=<seed> (see the README), and add it to reliability/harness/seeds.ts.',
  );
}
process.exit(failures > 0 || code !== 0 ? 1 : 0);
