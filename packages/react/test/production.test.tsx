// @vitest-environment node
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';

/**
 * What an app's builds of the hooks do (core/errors.ts, rules 3 and 4): the hooks entry bundled
 * the way an app's bundler bundles it, once with `process.env.NODE_ENV` = "production" and once
 * with "development", then loaded and rendered side by side.
 */

type Bundle = typeof import('../src/hooks') &
  typeof import('../src/devtools') &
  typeof import('../src/testing/memory-room') &
  Pick<typeof import('react'), 'createElement'> &
  Pick<typeof import('react-dom/server'), 'renderToString'>;
type Mode = 'production' | 'development';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Inside node_modules, so the bundles' `react` and `@ably/chat` are this package's copies.
const outDir = `${packageDir}node_modules/.presencekit-builds`;
const file = (mode: Mode) => `${outDir}/hooks.${mode}.mjs`;

async function bundle(mode: Mode): Promise<Bundle> {
  await build({
    stdin: {
      // React comes with it (external, so Node loads it): the bundle and the renderer share one
      // copy whichever React the test project aliases.
      contents: [
        "export * from './src/hooks';",
        "export { createMemoryRoom } from './src/testing/memory-room';",
        "export { PresenceKitDevtools } from './src/devtools';",
        "export { createElement } from 'react';",
        "export { renderToString } from 'react-dom/server';",
      ].join('\n'),
      resolveDir: packageDir,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    minify: true,
    external: ['react', 'react-dom', 'ably', '@ably/chat'],
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    outfile: file(mode),
    logLevel: 'silent',
  });
  return (await import(/* @vite-ignore */ pathToFileURL(file(mode)).href)) as Bundle;
}

const builds = {} as Record<Mode, Bundle>;

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  builds.production = await bundle('production');
  builds.development = await bundle('development');
}, 60_000);

/** What rendering `use` on the server with `build`'s React throws, if anything. */
function thrownBy(build: Bundle, use: () => unknown): unknown {
  function Subject() {
    use();
    return null;
  }
  try {
    build.renderToString(build.createElement(Subject));
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('production and development builds', () => {
  test('production keeps the error codes and drops the sentences and option checks', () => {
    const production = readFileSync(file('production'), 'utf8');
    const development = readFileSync(file('development'), 'utf8');
    for (const code of ['missing_room_provider', 'presence_enter_failed', 'room_attach_failed']) {
      expect(production).toContain(code);
      expect(development).toContain(code);
    }
    for (const sentence of [
      'render it inside',
      'pass a number of milliseconds',
      'Could not enter presence',
      'check the room name',
      'invalid_argument',
    ]) {
      expect(production).not.toContain(sentence);
      expect(development).toContain(sentence);
    }
  });

  test('a wiring mistake throws in both; production gives the code as the message', () => {
    const development = thrownBy(builds.development, () => builds.development.useOccupancy());
    const production = thrownBy(builds.production, () => builds.production.useOccupancy());
    expect(builds.development.isPresenceKitError(development)).toBe(true);
    expect(development).toMatchObject({ code: 'missing_room_provider' });
    expect((development as Error).message).toMatch(/^useOccupancy\(\) needs a room: render it/);
    expect(builds.production.isPresenceKitError(production)).toBe(true);
    expect(production).toMatchObject({
      code: 'missing_room_provider',
      message: 'missing_room_provider',
    });
  });

  test('a wrong option type throws in development only; production renders as with the default', () => {
    const wrong = (build: Bundle) => () =>
      build.usePresenceMembers({
        room: build.createMemoryRoom().room,
        groupBy: 'person' as never,
      });
    const development = thrownBy(builds.development, wrong(builds.development));
    expect(development).toMatchObject({ code: 'invalid_argument' });
    expect((development as Error).message).toBe(
      `usePresenceMembers() got groupBy: "person": use 'connection' or 'clientId'.`,
    );
    expect(thrownBy(builds.production, wrong(builds.production))).toBeUndefined();
  });
});

describe('<PresenceKitDevtools> in each build', () => {
  test('renders the panel in development and nothing in production, where its code is gone', () => {
    const render = (build: Bundle) =>
      build.renderToString(build.createElement(build.PresenceKitDevtools, { initialIsOpen: true }));
    expect(render(builds.development)).toContain('PresenceKit devtools');
    expect(render(builds.production)).toBe('');
    // The panel's styles and texts, and the render counting in the hooks, are dropped.
    expect(readFileSync(file('development'), 'utf8')).toContain('.pkdt-panel');
    expect(readFileSync(file('production'), 'utf8')).not.toContain('pkdt');
    expect(readFileSync(file('production'), 'utf8')).not.toContain('Resync');
  });
});

describe('the published build', () => {
  test('leaves process.env.NODE_ENV for the app bundler to replace (as React does)', () => {
    const dist = `${packageDir}dist`;
    if (!existsSync(`${dist}/hooks.js`))
      throw new Error('dist/ is missing: run `pnpm build` first.');
    const chunks = readdirSync(`${dist}/chunks`).filter((name) => name.endsWith('.js'));
    const code = chunks.map((name) => readFileSync(`${dist}/chunks/${name}`, 'utf8')).join('\n');
    expect(code).toMatch(/process\.env\.NODE_ENV !== ["']production["'] \?/);
    // Both branches are there: the sentences and the short forms.
    expect(code).toContain('render it inside');
    expect(code).toContain('pass a number of milliseconds');
  });
});
