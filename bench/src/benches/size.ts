import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import type { Bench, Metric, Row } from '../harness/types';

/**
 * Bench 4: what each entry of `@presencekit/react` adds to an app's bundle, minified and gzipped,
 * with the peers (react, react-dom, ably, @ably/chat) left out as the app already has them, and
 * the sets an app typically imports beside the official `@ably/chat/react` hooks doing the same
 * job, built in the same run with the same esbuild settings.
 *
 * Everything is built as an app ships it (`process.env.NODE_ENV` = "production"). The budgets are
 * the ones `pnpm size` enforces: one `.size-limit.js` for both, so the table and CI never disagree.
 */

interface SizeLimitEntry {
  name: string;
  path: string | string[];
  limit: string;
  ignore?: string[];
  /** Only these exports (`"{ useOccupancy }"`): what an app using just them pays. */
  import?: string;
}

/** A set built from our hooks entry and from `@ably/chat/react`; see `.size-limit.js`. */
export interface Comparison {
  name: string;
  ours: string;
  official: string;
  maxRatio: number;
}

const benchDir = fileURLToPath(new URL('../..', import.meta.url));
const PEERS = ['react', 'react-dom', 'ably', '@ably/chat'];
/** The official hooks' peers: `@ably/chat/react` bundles what it needs of the chat SDK itself. */
const OFFICIAL_PEERS = ['react', 'react-dom', 'ably'];
const OURS_HOOKS = '../packages/react/dist/hooks.js';

/** Issue 7's targets, by the start of the size-limit entry name. */
const TARGETS: Record<string, number> = { 'hooks: ': 4000, 'components + hooks:': 10000 };

/** Source entry of a dist file, to show which source files the bytes come from. */
const SOURCES: Record<string, string> = {
  'dist/hooks.js': '../packages/react/src/hooks/index.ts',
  'dist/index.js': '../packages/react/src/index.ts',
};

/** `"4 kB"` → 4000 (size-limit counts kB as 1000 bytes). */
function parseLimit(limit: string): number {
  const match = /^([\d.]+)\s*(B|kB|KB|MB)$/.exec(limit.trim());
  if (!match) throw new Error(`cannot read size limit "${limit}"`);
  const unit = { B: 1, kB: 1000, KB: 1000, MB: 1e6 }[match[2] as 'B' | 'kB' | 'KB' | 'MB'];
  return Number(match[1]) * unit;
}

/** `production` drops development-only code, as an app's production build does. */
type Mode = 'production' | 'development';

/** What esbuild bundles: the file, or a module re-exporting only `only` from it. */
function entryOf(path: string, only: string | undefined, loader?: 'ts') {
  return only
    ? {
        stdin: {
          contents: `export ${only} from ${JSON.stringify(path)};`,
          resolveDir: benchDir,
          loader,
        },
      }
    : { entryPoints: [path] };
}

/** The settings every measured build shares, ours and the official hooks alike. */
function settings(external: string[], mode: Mode) {
  return {
    absWorkingDir: benchDir,
    bundle: true,
    minify: true,
    format: 'esm' as const,
    target: 'es2022',
    jsx: 'automatic' as const,
    write: false,
    metafile: true,
    // esbuild's `external: ['react']` also covers `react/jsx-runtime`.
    external,
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    logLevel: 'silent' as const,
    outdir: 'out',
  };
}

/** Minified, gzipped (level 9) and brotli (11) bytes of one bundle. */
export async function bundleSize(
  path: string,
  only: string | undefined,
  external: string[],
  mode: Mode = 'production',
): Promise<{ min: number; gzip: number; brotli: number }> {
  const result = await build({ ...entryOf(path, only), ...settings(external, mode) });
  let min = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of result.outputFiles ?? []) {
    const bytes = file.contents;
    min += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
  }
  return { min, gzip, brotli };
}

async function measure(
  paths: string[],
  ignore: string[],
  only: string | undefined,
): Promise<{ min: number; gzip: number; brotli: number; top: [string, number][] }> {
  const total = { min: 0, gzip: 0, brotli: 0 };
  const inputs = new Map<string, number>();
  for (const path of paths) {
    const size = await bundleSize(path, only, ignore);
    total.min += size.min;
    total.gzip += size.gzip;
    total.brotli += size.brotli;
    // The dist files are bundles already; bundling the sources the same way tells which source
    // files the bytes come from (approximately: same code, same minifier).
    const source = Object.entries(SOURCES).find(([dist]) => path.endsWith(dist))?.[1];
    if (source) {
      // Diagnostic only: a source tree mid-edit must not fail the measurement of dist/.
      const fromSource = await build({
        ...entryOf(source, only, 'ts'),
        ...settings(ignore, 'production'),
      }).catch(() => undefined);
      for (const output of Object.values(fromSource?.metafile?.outputs ?? {})) {
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
          const name = input.replace(/^.*packages\/react\/src\//, '');
          inputs.set(name, (inputs.get(name) ?? 0) + bytesInOutput);
        }
      }
    }
  }
  const top = [...inputs].filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]);
  return { ...total, top: top.slice(0, 6) };
}

/** Our set and the official one, built the same way; `ratio` = ours / official (min+gzip). */
export async function compare(set: Comparison): Promise<{
  ours: number;
  official: number;
  ratio: number;
  oursDevelopment: number;
}> {
  const ours = await bundleSize(OURS_HOOKS, set.ours, PEERS);
  const official = await bundleSize('@ably/chat/react', set.official, OFFICIAL_PEERS);
  const development = await bundleSize(OURS_HOOKS, set.ours, PEERS, 'development');
  return {
    ours: ours.gzip,
    official: official.gzip,
    ratio: ours.gzip / official.gzip,
    oursDevelopment: development.gzip,
  };
}

/** What `.size-limit.js` asks of `<PresenceKitDevtools>` in production; see `devtoolsCost`. */
export interface DevtoolsBudget {
  maxAddedGzip: number;
  /** Source files (under packages/react/src/; a trailing `/` for a folder) only the devtools need. */
  developmentOnly: string[];
}

/** The budgets and comparisons of `.size-limit.js`. */
export async function sizeConfig(): Promise<{
  entries: SizeLimitEntry[];
  comparisons: Comparison[];
  devtools: DevtoolsBudget;
}> {
  const config = (await import(pathToFileURL(`${benchDir}/.size-limit.js`).href)) as {
    default: SizeLimitEntry[];
    comparisons: Comparison[];
    devtools: DevtoolsBudget;
  };
  return { entries: config.default, comparisons: config.comparisons, devtools: config.devtools };
}

/** A small app on our hooks entry, with or without `<PresenceKitDevtools>` rendered. */
function devtoolsApp(withDevtools: boolean): string {
  return [
    "import { createElement as h } from 'react';",
    "import { ChatClientProvider, ChatRoomProvider, useOccupancy } from '../packages/react/dist/hooks.js';",
    withDevtools
      ? "import { PresenceKitDevtools } from '../packages/react/dist/devtools/index.js';"
      : '',
    'function Count() { return h("p", null, useOccupancy().connections); }',
    'export function App({ client }) {',
    '  return h(ChatClientProvider, { client },',
    '    h(ChatRoomProvider, { name: "stage" }, h(Count)),',
    withDevtools ? '    h(PresenceKitDevtools),' : '',
    '  );',
    '}',
  ].join('\n');
}

/** Minified and gzipped bytes of an app, built as it ships. */
async function appSize(contents: string, mode: Mode): Promise<{ min: number; gzip: number }> {
  const result = await build({
    stdin: { contents, resolveDir: benchDir, loader: 'js' },
    ...settings(PEERS, mode),
  });
  const bytes = result.outputFiles?.[0]?.contents ?? new Uint8Array();
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Bytes the development-only source files put into a production build of `entry` (from src/). */
async function developmentOnlyBytes(
  entry: string,
  developmentOnly: string[],
  mode: Mode,
): Promise<number> {
  const result = await build({ entryPoints: [entry], ...settings(PEERS, mode) });
  let bytes = 0;
  for (const output of Object.values(result.metafile?.outputs ?? {})) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = input.replace(/^.*packages\/react\/src\//, '');
      if (
        developmentOnly.some((path) => (path.endsWith('/') ? name.startsWith(path) : name === path))
      ) {
        bytes += bytesInOutput;
      }
    }
  }
  return bytes;
}

/**
 * What `<PresenceKitDevtools>` costs an app in production: the same app built without and with it
 * rendered (`added`: gzip bytes, `addedMin`: minified), and the bytes the development-only source
 * files leave in production bundles of the hooks and of everything (`leftInProduction`: must be
 * 0), beside what they weigh in development (`inDevelopment`, which proves they are measured).
 */
export async function devtoolsCost({ developmentOnly }: DevtoolsBudget): Promise<{
  without: number;
  with: number;
  added: number;
  addedMin: number;
  withInDevelopment: number;
  leftInProduction: number;
  inDevelopment: number;
}> {
  const without = await appSize(devtoolsApp(false), 'production');
  const withDevtools = await appSize(devtoolsApp(true), 'production');
  const development = await appSize(devtoolsApp(true), 'development');
  let leftInProduction = 0;
  let inDevelopment = 0;
  for (const entry of Object.values(SOURCES)) {
    leftInProduction += await developmentOnlyBytes(entry, developmentOnly, 'production');
    inDevelopment += await developmentOnlyBytes(entry, developmentOnly, 'development');
  }
  return {
    without: without.gzip,
    with: withDevtools.gzip,
    added: withDevtools.gzip - without.gzip,
    addedMin: withDevtools.min - without.min,
    withInDevelopment: development.gzip,
    leftInProduction,
    inDevelopment,
  };
}

export const sizeBench: Bench = {
  id: 'bundle-size',
  title: 'Bench 4 — bundle size (min+gzip, peers excluded)',
  async run(ctx) {
    const { entries, comparisons } = await sizeConfig();
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
    for (const set of comparisons) {
      const { ours, official, ratio, oursDevelopment } = await compare(set);
      met &&= ratio <= set.maxRatio;
      ctx.log(`size: ${set.name}: ours ${ours} B, official ${official} B, ${ratio.toFixed(2)}×`);
      rows.push({
        case: `vs @ably/chat/react: ${set.name}`,
        metrics: [
          {
            name: 'min+gzip',
            unit: 'bytes',
            ours,
            baseline: official,
            ratio,
            ratioMeaning: 'ours/baseline',
            note: `CI budget: ratio ≤ ${set.maxRatio}`,
          },
          {
            name: 'min+gzip, development build',
            unit: 'bytes',
            ours: oursDevelopment,
            baseline: null,
            ratio: null,
            ratioMeaning: 'ours/baseline',
            note: 'with every option check and how-to-fix sentence',
          },
        ],
      });
      notes.push(`${set.name}: ours = ${set.ours}; official = ${set.official}`);
    }
    const devtoolsBudget = (await sizeConfig()).devtools;
    const cost = await devtoolsCost(devtoolsBudget);
    met &&= cost.added <= devtoolsBudget.maxAddedGzip && cost.leftInProduction === 0;
    ctx.log(`size: <PresenceKitDevtools> in production: +${cost.added} B gzip`);
    rows.push({
      case: '<PresenceKitDevtools> rendered in a production app',
      metrics: [
        {
          name: 'added min+gzip',
          unit: 'bytes',
          ours: cost.added,
          baseline: null,
          ratio: null,
          ratioMeaning: 'ours/baseline',
          note: `app ${cost.without} B → ${cost.with} B (+${cost.addedMin} B minified); CI budget ≤ ${devtoolsBudget.maxAddedGzip} B`,
        },
        {
          name: 'development-only sources in production bundles',
          unit: 'bytes',
          ours: cost.leftInProduction,
          baseline: null,
          ratio: null,
          ratioMeaning: 'ours/baseline',
          note: `hooks + everything; ${cost.inDevelopment} B minified in development; CI budget 0 B`,
        },
      ],
    });
    notes.push(
      'Sizes are of the built dist/ files (the official set: @ably/chat/react), bundled by esbuild with the same settings: minified, gzip level 9, peers external, process.env.NODE_ENV = "production" (the development build row keeps it "development"). The source breakdown bundles src/ the same way. Target = issue 7 and ratio ≤ 1 against the official hooks. CI budget = bench/.size-limit.js, enforced by `pnpm size` in the test command.',
    );
    return {
      // Sizes are deterministic: one measurement, nothing to warm up.
      runs: 1,
      warmups: 0,
      ours: '@presencekit/react dist entries',
      baseline: '@ably/chat/react (the official hooks)',
      target: 'hooks < 4 kB, everything < 10 kB; sets ≤ 1.0× the official hooks (min+gzip)',
      targetMet: met,
      rows,
      notes,
    };
  },
};
