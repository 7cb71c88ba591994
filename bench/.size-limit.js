// @ts-check
/**
 * Bundle-size budgets, read by `pnpm size` (size-limit, then `src/size-check.ts`) and by bench 4
 * (`pnpm bench`), so the table and CI never disagree. Every set is measured as an app ships it:
 * esbuild, minified, gzipped, peers external, `process.env.NODE_ENV` = "production" (the
 * development-only checks and how-to-fix sentences are then dropped, as the app's bundler would).
 */

const PEERS = ['react', 'react-dom', 'ably', '@ably/chat'];

/** @param {import('esbuild').BuildOptions} config */
const production = (config) => ({
  ...config,
  define: { ...config.define, 'process.env.NODE_ENV': '"production"' },
});

/** What bundle of ours a budget measures; see `comparisons` for the sets judged by ratio. */
const ours = (/** @type {string} */ path, /** @type {string | undefined} */ only) => ({
  path: `../packages/react/dist/${path}`,
  ...(only ? { import: only } : {}),
  ignore: PEERS,
  gzip: true,
  modifyEsbuildConfig: production,
});

/**
 * Sets built with our hooks and with the official `@ably/chat/react` ones in the same run, the
 * same way; CI fails when ours is larger than `maxRatio` × the official set.
 */
export const comparisons = [
  {
    name: 'providers + useOccupancy',
    ours: '{ ChatClientProvider, ChatRoomProvider, useOccupancy }',
    official: '{ ChatClientProvider, ChatRoomProvider, useOccupancy }',
    maxRatio: 1,
  },
  {
    name: 'providers + occupancy + presence list + enter presence',
    ours: '{ ChatClientProvider, ChatRoomProvider, useOccupancy, usePresenceMembers, usePresence }',
    official:
      '{ ChatClientProvider, ChatRoomProvider, useOccupancy, usePresenceListener, usePresence }',
    // Not at 1 and cannot be without dropping features the official hooks lack (measured per
    // feature in bench/FINDINGS.md §1): the measured 1.29 plus 0.02.
    maxRatio: 1.31,
  },
];

/**
 * `<PresenceKitDevtools>` in an app's production build (bench 4, checked by `pnpm size`): the
 * same small app built without and with the devtools rendered may differ by at most
 * `maxAddedGzip` bytes (the `() => null` it becomes), and the source files that exist only for the
 * devtools (render counting, the registry's observation, resync, the panel) must contribute 0
 * bytes to the production bundles of the hooks and of everything.
 */
export const devtools = {
  // Measured: 11 B (22 B minified: `var e=()=>null` and the element that renders it).
  maxAddedGzip: 16,
  developmentOnly: [
    'core/hook-renders.ts',
    'core/registry-observer.ts',
    'core/resync.ts',
    'hooks/internal/useRenderCount.ts',
    'devtools/',
  ],
};

/** Absolute budgets (min+gzip, production): about 5 % above the sizes measured when set. */
export default [
  {
    name: 'hooks: @presencekit/react/hooks (every hook)',
    ...ours('hooks.js'),
    // 9.45 kB until the Suspense hooks (about 0.2 kB over it, measured 9.64 kB); unused, they
    // tree-shake away (see the sets below).
    limit: '9.9 kB',
  },
  {
    name: 'hooks, tree-shaken: providers + usePresenceMembers',
    ...ours('hooks.js', '{ ChatClientProvider, ChatRoomProvider, usePresenceMembers }'),
    limit: '4.8 kB',
  },
  {
    name: 'hooks, tree-shaken: providers + useSuspenseOccupancy',
    ...ours('hooks.js', '{ ChatClientProvider, ChatRoomProvider, useSuspenseOccupancy }'),
    limit: '4.6 kB',
  },
  {
    name: 'components + hooks: @presencekit/react',
    ...ours('index.js'),
    limit: '18.05 kB',
  },
  {
    name: 'styles: @presencekit/react/styles.css',
    path: '../packages/react/dist/styles.css',
    gzip: true,
    limit: '2 kB',
  },
  {
    name: 'everything: @presencekit/react + styles.css',
    path: ['../packages/react/dist/index.js', '../packages/react/dist/styles.css'],
    ignore: PEERS,
    gzip: true,
    modifyEsbuildConfig: production,
    limit: '20.08 kB',
  },
];
