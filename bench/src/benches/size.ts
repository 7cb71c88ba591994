import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import type { Bench, Metric, Row } from '../harness/types';

/**
 * Bench 4: what each entry of `@presencekit/react` adds to an app's bundle, minified and gzipped,
 * with the peers (react, react-dom, ably, @ably/chat) left out as the app already has them.
 *
 * The budgets are the ones `pnpm size` (size-limit, in the test command) enforces: one
 * `.size-limit.json` for both, so the table and CI never disagree.
 */

interface SizeLimitEntry {
  name: string;
  path: string | string[];
  limit: string;
  ignore?: string[];
  /** Only these exports (`"{ useOccupancy }"`): what an app using just them pays. */
  import?: string;
}

const benchDir = fileURLToPath(new URL('../..', import.meta.url));
const PEERS = ['react', 'react-dom', 'ably', '@ably/chat'];

/** Issue 7's targets, by the start of the size-limit entry name. */
const TARGETS: Record<string, number> = { 'hooks: ': 4000, 'components + hooks:': 10000 };

/** Source entry of a dist file, to show which source files the bytes come from. */
const SOURCES: Record<string, string> = {
  'dist/hooks.js': '../packages/react/src/hooks.ts',
  'dist/index.js': '../packages/react/src/index.ts',
};

/** `"4 kB"` → 4000 (size-limit counts kB as 1000 bytes). */
function parseLimit(limit: string): number {
  const match = /^([\d.]+)\s*(B|kB|KB|MB)$/.exec(limit.trim());
  if (!match) throw new Error(`cannot read size limit "${limit}"`);
  const unit = { B: 1, kB: 1000, KB: 1000, MB: 1e6 }[match[2] as 'B' | 'kB' | 'KB' | 'MB'];
  return Number(match[1]) * unit;
}

async function measure(
  paths: string[],
  ignore: string[],
  only: string | undefined,
): Promise<{ min: number; gzip: number; brotli: number; top: [string, number][] }> {
  let min = 0;
  let gzip = 0;
  let brotli = 0;
  const inputs = new Map<string, number>();
  for (const path of paths) {
    // esbuild's `external: ['react']` also covers `react/jsx-runtime`.
    // With `import`, bundle a module re-exporting only those names, as size-limit does.
    const entry = only
      ? {
          stdin: { contents: `export ${only} from ${JSON.stringify(path)};`, resolveDir: benchDir },
        }
      : { entryPoints: [path] };
    const result = await build({
      absWorkingDir: benchDir,
      ...entry,
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      write: false,
      metafile: true,
      external: ignore,
      logLevel: 'silent',
      outdir: 'out',
    });
    for (const file of result.outputFiles) {
      const bytes = file.contents;
      min += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
      brotli += brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
      }).length;
    }
    // The dist files are bundles already; bundling the sources the same way tells which source
    // files the bytes come from (approximately: same code, same minifier).
    const source = Object.entries(SOURCES).find(([dist]) => path.endsWith(dist))?.[1];
    if (source) {
      // Diagnostic only: a source tree mid-edit must not fail the measurement of dist/.
      const fromSource = await build({
        absWorkingDir: benchDir,
        ...(only
          ? {
              stdin: {
                contents: `export ${only} from ${JSON.stringify(source)};`,
                resolveDir: benchDir,
                loader: 'ts' as const,
              },
            }
          : { entryPoints: [source] }),
        bundle: true,
        minify: true,
        format: 'esm',
        target: 'es2022',
        jsx: 'automatic',
        write: false,
        metafile: true,
        external: ignore,
        logLevel: 'silent',
        outdir: 'out',
      }).catch(() => undefined);
      for (const output of Object.values(fromSource?.metafile.outputs ?? {})) {
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
          const name = input.replace(/^.*packages\/react\/src\//, '');
          inputs.set(name, (inputs.get(name) ?? 0) + bytesInOutput);
        }
      }
    }
  }
  const top = [...inputs].filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]);
  return { min, gzip, brotli, top: top.slice(0, 6) };
}

export const sizeBench: Bench = {
  id: 'bundle-size',
  title: 'Bench 4 — bundle size (min+gzip, peers excluded)',
  async run(ctx) {
    const entries = JSON.parse(
      readFileSync(new URL('../../.size-limit.json', import.meta.url), 'utf8'),
    ) as SizeLimitEntry[];
    const rows: Row[] = [];
    const notes: string[] = [];
    let met = true;
    for (const entry of entries) {
      const paths = Array.isArray(entry.path) ? entry.path : [entry.path];
      const size = await measure(paths, entry.ignore ?? PEERS, entry.import);
      const budget = parseLimit(entry.limit);
      const target = Object.entries(TARGETS).find(([prefix]) => entry.name.startsWith(prefix))?.[1];
      if (target !== undefined) met &&= size.gzip <= target;
      ctx.log(`size: ${entry.name}: ${size.gzip} B gzip (CI budget ${budget} B)`);
      const metric = (name: string, ours: number, extra: Partial<Metric> = {}): Metric => ({
        name,
        unit: 'bytes',
        ours,
        baseline: null,
        ratio: null,
        ratioMeaning: 'ours/baseline',
        ...extra,
      });
      rows.push({
        case: entry.name,
        metrics: [
          metric('min+gzip', size.gzip, {
            ...(target === undefined ? {} : { target }),
            note: `CI budget ${entry.limit}`,
          }),
          metric('min+brotli', size.brotli),
          metric('minified', size.min),
        ],
      });
      if (size.top.length) {
        notes.push(
          `${entry.name}: largest source files (minified bytes): ` +
            size.top.map(([name, bytes]) => `${name} ${bytes}`).join(', '),
        );
      }
    }
    notes.push(
      'Sizes are of the built dist/ files; the source breakdown bundles src/ the same way. Target = issue 7. CI budget = bench/.size-limit.json, enforced by `pnpm size` (size-limit 12) in the test command.',
    );
    return {
      // Sizes are deterministic: one measurement, nothing to warm up.
      runs: 1,
      warmups: 0,
      ours: '@presencekit/react dist entries',
      baseline: '',
      target: 'hooks < 4 kB, everything < 10 kB (min+gzip)',
      targetMet: met,
      rows,
      notes,
    };
  },
};
