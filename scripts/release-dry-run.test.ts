import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * The release dry run: both published packages, packed as `pnpm publish` would pack them, checked
 * for what they ship, then installed with plain npm into a folder outside the workspace and used
 * the way a user would (the CLI, Node imports, a Vite app, a Next.js App Router app). A packaging
 * mistake (a file missing from `files`, a dropped `'use client'`, an export that only resolves
 * inside the monorepo, a test shipped by accident) fails here instead of after `npm publish`.
 *
 * Needs the packages built (`pnpm build`); writes only to a temporary folder that it removes.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const PUBLISHED = [
  { name: '@presencekit/react', dir: 'packages/react' },
  { name: '@presencekit/ably-emulator', dir: 'packages/ably-emulator' },
] as const;
type PackageName = (typeof PUBLISHED)[number]['name'];

/** Files every tarball must have (besides package.json). */
const REQUIRED = ['LICENSE', 'README.md', 'CHANGELOG.md'];

/** What must never ship, with the reason shown when it does. */
const FORBIDDEN: [RegExp, string][] = [
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'a test'],
  [/\.test-d\.[cm]?ts$/, 'a type-level test'],
  [/\.stories\.[cm]?[jt]sx?$/, 'a story'],
  [/(^|\/)(__tests__|__mocks__|__fixtures__|fixtures?)\//, 'a test fixture'],
  [/\.fixtures?\.[^/]+$/, 'a test fixture'],
  [/\.tsbuildinfo$/, 'TypeScript build info'],
];

/**
 * The versions the workspace itself uses, read from its node_modules (pnpm links each direct
 * dependency there, at the version in pnpm-lock.yaml), so the npm install below finds them in the
 * npm cache after the first run.
 */
function workspaceVersion(dir: string, name: string): string {
  const manifest = join(root, dir, 'node_modules', name, 'package.json');
  if (!existsSync(manifest))
    throw new Error(`${name} is not installed in ${dir}: run pnpm install`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * The environment of the user's commands: this process's, less the workspace's run context
 * (pnpm's and npm's lowercase run variables, Vitest's, `NODE_ENV=test`), which npm, Vite and
 * Next.js would otherwise read. npm settings a machine may need (registry, cache, certificates,
 * proxies) are kept, as is any upper-case `NPM_CONFIG_*` the machine sets.
 */
function consumerEnv(): NodeJS.ProcessEnv {
  const keep =
    /^npm_config_(registry|cache|cafile|userconfig|globalconfig|(https?_)?proxy|noproxy)$/;
  const drop = /^(npm_|pnpm_|PNPM_|VITEST|NODE_ENV$|TEST$|INIT_CWD$)/;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!drop.test(key) || keep.test(key)) env[key] = value;
  }
  return {
    ...env,
    NEXT_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    NO_UPDATE_NOTIFIER: '1',
  };
}

/** npx with only what is installed: never a download of a same-named package from the registry. */
const NPX = ['--no', '--'];

const running = new Set<ChildProcess>();

/** Starts `command` in its own process group, so that it and everything it starts can be stopped. */
function start(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const child = spawn(command, args, {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // 'close' waits for the pipes too: every process of the group that held them has exited.
  const closed = once(child, 'close').then(([code, signal]) => {
    running.delete(child);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  return { child, output: () => output, closed };
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

const tail = (text: string, lines = 60) => text.trimEnd().split('\n').slice(-lines).join('\n');

/** Runs a command to completion; a failure shows the command, where, and the end of its output. */
async function run(
  command: string,
  args: string[],
  cwd: string,
  { env, timeoutMs = 120_000 }: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  const started = Date.now();
  const { child, output, closed } = start(command, args, cwd, env);
  const timer = setTimeout(() => stopGroup(child, 'SIGKILL'), timeoutMs);
  const { code, signal } = await closed;
  clearTimeout(timer);
  const what = `\`${[command, ...args].join(' ')}\` in ${cwd}`;
  if (code !== 0) {
    const how =
      Date.now() - started >= timeoutMs
        ? `timed out after ${timeoutMs} ms`
        : `exited with ${signal ?? code}`;
    throw new Error(`${what} ${how}:\n${tail(output())}`);
  }
  return output();
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = prefix + entry.name;
    return entry.isDirectory() ? walk(join(dir, entry.name), `${path}/`) : [path];
  });
}

interface Packed {
  name: PackageName;
  version: string;
  tarball: string;
  /** The unpacked `package/` folder. */
  dir: string;
  files: string[];
}

let work = '';
const packed = new Map<PackageName, Packed>();

beforeAll(async () => {
  for (const { dir } of PUBLISHED) {
    if (!existsSync(join(root, dir, 'dist'))) {
      throw new Error(`${dir}/dist is missing: run pnpm build first.`);
    }
  }
  work = await mkdtemp(join(tmpdir(), 'presencekit-release-'));
  expect(relative(root, work).startsWith('..'), `${work} must be outside ${root}`).toBe(true);
  await Promise.all(
    PUBLISHED.map(async ({ name, dir }) => {
      const into = join(work, 'packs', name.replace('/', '__'));
      await mkdir(into, { recursive: true });
      await run('pnpm', ['pack', '--pack-destination', into], join(root, dir));
      const [tarball, ...more] = readdirSync(into).filter((file) => file.endsWith('.tgz'));
      if (!tarball || more.length)
        throw new Error(`pnpm pack made ${readdirSync(into).join(', ')}`);
      const unpacked = join(into, 'unpacked');
      await mkdir(unpacked);
      await run('tar', ['-xzf', join(into, tarball), '-C', unpacked], work);
      const packageDir = join(unpacked, 'package');
      const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
        version: string;
      };
      const files = walk(packageDir).sort();
      packed.set(name, { name, version, tarball: join(into, tarball), dir: packageDir, files });
      const topLevel = new Map<string, number>();
      for (const file of files) {
        const top = file.includes('/') ? `${file.split('/')[0]}/` : file;
        topLevel.set(top, (topLevel.get(top) ?? 0) + 1);
      }
      const summary = [...topLevel].map(([top, n]) => (top.endsWith('/') ? `${top} (${n})` : top));
      const kB = (statSync(join(into, tarball)).size / 1024).toFixed(1);
      console.info(
        `${name}@${version}: ${files.length} files, ${kB} kB packed: ${summary.join(', ')}`,
      );
    }),
  );
}, 120_000);

afterAll(async () => {
  for (const child of running) stopGroup(child, 'SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

describe.each(PUBLISHED)('the $name tarball', ({ name }) => {
  const get = () => packed.get(name)!;

  test('has its licence, readme and changelog', () => {
    const { files, dir } = get();
    expect(
      REQUIRED.filter((file) => !files.includes(file)),
      'missing from the tarball',
    ).toEqual([]);
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(root, 'LICENSE'), 'utf8'),
    );
  });

  test('ships no tests, stories, fixtures or build info', () => {
    const unwanted = get().files.flatMap((file) =>
      FORBIDDEN.filter(([pattern]) => pattern.test(file)).map(([, what]) => `${file} (${what})`),
    );
    expect(unwanted, 'these files should not be published').toEqual([]);
  });

  test('has source maps whose sources are inside the package and readable', () => {
    const { files, dir } = get();
    const problems: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.map'))) {
      const map = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        sourceRoot?: string;
        sources?: (string | null)[];
        sourcesContent?: (string | null)[];
      };
      const base = resolve(dirname(join(dir, file)), map.sourceRoot ?? '');
      (map.sources ?? []).forEach((source, i) => {
        if (source === null) return;
        const path = resolve(base, source);
        const inside = relative(dir, path);
        const outside = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
        if (/^[a-z][a-z0-9+.-]*:/i.test(source) || outside) {
          problems.push(`${file}: ${source} points outside the package`);
        } else if (!existsSync(path) && typeof map.sourcesContent?.[i] !== 'string') {
          problems.push(`${file}: ${source} is neither shipped nor embedded (sourcesContent)`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  test('has a package.json without workspace protocols', () => {
    const manifest = readFileSync(join(get().dir, 'package.json'), 'utf8');
    expect(manifest).not.toMatch(/"workspace:/);
  });
});

describe('installed with npm in a folder outside the workspace', () => {
  let app = '';
  const env = consumerEnv();

  beforeAll(async () => {
    app = join(work, 'consumer');
    await mkdir(app);
    const tarball = (name: PackageName) => `file:${packed.get(name)!.tarball}`;
    const nextjs = (name: string) => workspaceVersion('examples/nextjs', name);
    const vite = (name: string) => workspaceVersion('examples/vite-app', name);
    const manifest = {
      name: 'presencekit-consumer',
      private: true,
      type: 'module',
      dependencies: {
        '@presencekit/react': tarball('@presencekit/react'),
        ably: nextjs('ably'),
        '@ably/chat': nextjs('@ably/chat'),
        react: nextjs('react'),
        'react-dom': nextjs('react-dom'),
        next: nextjs('next'),
      },
      devDependencies: {
        '@presencekit/ably-emulator': tarball('@presencekit/ably-emulator'),
        vite: vite('vite'),
        '@vitejs/plugin-react': vite('@vitejs/plugin-react'),
        typescript: workspaceVersion('.', 'typescript'),
        '@types/react': nextjs('@types/react'),
        '@types/node': nextjs('@types/node'),
      },
    };
    await writeFile(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app, {
      env,
      timeoutMs: 240_000,
    });
  }, 300_000);

  test('npx ably-emulator --port 0 prints its ready line, answers, and stops on SIGTERM', async () => {
    // `--no`: the bin must come from the tarball; npx would otherwise fetch whatever package
    // of that name the registry has. npx runs the bin under npm and `sh -c`: signalling the group
    // (as Ctrl-C does) reaches the emulator itself, not only npm.
    const { child, output, closed } = start(
      'npx',
      NPX.concat('ably-emulator', '--port', '0'),
      app,
      env,
    );
    const deadline = Date.now() + 20_000;
    let ready: RegExpExecArray | null = null;
    while (!ready && Date.now() < deadline && child.exitCode === null) {
      ready = /^ably-emulator ready at (http:\/\/127\.0\.0\.1:\d+) key=\S+$/m.exec(output());
      if (!ready) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ready, `no ready line:\n${output()}`).not.toBeNull();
    const time = await fetch(`${ready![1]}/time`);
    expect(time.status).toBe(200);
    // The inspector page ships in the tarball, with its script, and the installed bin serves it.
    const inspector = await fetch(`${ready![1]}/inspector`);
    expect(inspector.status).toBe(200);
    const script = /src="(\/inspector\/assets\/[^"]+\.js)"/.exec(await inspector.text())?.[1];
    expect(script, 'the inspector page names its script').toBeDefined();
    const js = await fetch(`${ready![1]}${script!}`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(10_000);

    stopGroup(child, 'SIGTERM');
    // The pipes close once every process holding them has exited.
    const stopped = await Promise.race([
      closed.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!stopped) stopGroup(child, 'SIGKILL');
    expect(stopped, `still running 10 s after SIGTERM:\n${output()}`).toBe(true);
    expect(output()).toContain('[ably-emulator] SIGTERM: stopping');
  });

  test('every entry point resolves and loads from Node', async () => {
    const script = `
      const entries = ['@presencekit/react', '@presencekit/react/hooks', '@presencekit/react/server',
        '@presencekit/react/testing', '@presencekit/react/devtools', '@presencekit/ably-emulator'];
      const exports = {};
      for (const entry of entries) exports[entry] = Object.keys(await import(entry)).sort();
      const styles = import.meta.resolve('@presencekit/react/styles.css');
      console.log(JSON.stringify({ exports, styles }));
    `;
    await writeFile(join(app, 'entries.mjs'), script);
    const out = await run(process.execPath, ['entries.mjs'], app, { env });
    const { exports, styles } = JSON.parse(out.trim().split('\n').pop()!) as {
      exports: Record<string, string[]>;
      styles: string;
    };
    expect(exports['@presencekit/react']).toEqual(
      expect.arrayContaining(['ChatClientProvider', 'ViewerCount', 'PresenceList', 'useOccupancy']),
    );
    expect(exports['@presencekit/react/hooks']).toEqual(expect.arrayContaining(['usePresence']));
    expect(exports['@presencekit/react/server']).toEqual(
      expect.arrayContaining(['getOccupancy', 'createTokenHandler', 'ablyEndpointOptions']),
    );
    expect(exports['@presencekit/react/testing']).toEqual(
      expect.arrayContaining(['createMemoryRoom', 'TestRoomProvider']),
    );
    expect(exports['@presencekit/react/devtools']).toEqual(['PresenceKitDevtools']);
    expect(exports['@presencekit/ably-emulator']).toEqual(
      expect.arrayContaining(['startEmulator']),
    );
    // Resolved into the installed package, not back into the workspace.
    const stylesPath = fileURLToPath(styles);
    expect(stylesPath.startsWith(join(app, 'node_modules', '@presencekit', 'react') + sep)).toBe(
      true,
    );
    expect(readFileSync(stylesPath, 'utf8')).toContain('.pk-root');
  });

  test('a Vite + React app using a component, a hook and the stylesheet builds', async () => {
    const dir = join(app, 'vite-app');
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html>\n<div id="root"></div>\n<script type="module" src="/src/main.tsx"></script>\n',
    );
    await writeFile(
      join(dir, 'vite.config.js'),
      "import react from '@vitejs/plugin-react';\nexport default { plugins: [react()] };\n",
    );
    await writeFile(
      join(dir, 'src', 'main.tsx'),
      `import '@presencekit/react/styles.css';
import { ChatClient } from '@ably/chat';
import { ChatClientProvider, ChatRoomProvider, PresenceList, useOccupancy } from '@presencekit/react';
import { PresenceKitDevtools } from '@presencekit/react/devtools';
import * as Ably from 'ably';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const client = new ChatClient(new Ably.Realtime({ authUrl: '/api/ably-token' }));

function Watching() {
  const { connections } = useOccupancy();
  return <p>{connections ?? '…'} watching</p>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ChatClientProvider client={client}>
      <ChatRoomProvider name="stage" options={{ occupancy: { enableEvents: true } }}>
        <Watching />
        <PresenceList max={5} />
      </ChatRoomProvider>
      <PresenceKitDevtools />
    </ChatClientProvider>
  </StrictMode>,
);
`,
    );
    await run('npx', NPX.concat('vite', 'build'), dir, { env });
    const assets = readdirSync(join(dir, 'dist', 'assets'));
    const css = assets.filter((file) => file.endsWith('.css'));
    // `sideEffects` keeps the stylesheet import: a bundler that dropped it would ship no CSS.
    expect(css, `assets: ${assets.join(', ')}`).toHaveLength(1);
    expect(readFileSync(join(dir, 'dist', 'assets', css[0]!), 'utf8')).toContain('.pk-root');
    // The production build keeps no devtools code (the panel's class names, its texts).
    const js = assets.filter((file) => file.endsWith('.js'));
    const code = js.map((file) => readFileSync(join(dir, 'dist', 'assets', file), 'utf8')).join('');
    expect(code).toContain('watching');
    expect(code).not.toContain('pkdt');
    expect(code).not.toContain('PresenceKit devtools');
  });

  test('a Next.js App Router page (a Server Component with ViewerCount and a server helper) builds', async () => {
    const dir = join(app, 'next-app');
    await mkdir(join(dir, 'app'), { recursive: true });
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            lib: ['dom', 'dom.iterable', 'esnext'],
            strict: true,
            noEmit: true,
            module: 'esnext',
            moduleResolution: 'bundler',
            jsx: 'react-jsx',
            skipLibCheck: true,
            isolatedModules: true,
            esModuleInterop: true,
            resolveJsonModule: true,
            plugins: [{ name: 'next' }],
          },
          include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
          exclude: ['node_modules'],
        },
        null,
        2,
      ),
    );
    await writeFile(
      join(dir, 'app', 'layout.tsx'),
      `import '@presencekit/react/styles.css';
import type { ReactNode } from 'react';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
    );
    await writeFile(
      join(dir, 'app', 'ChatProvider.tsx'),
      `'use client';
import { ChatClient } from '@ably/chat';
import { ChatClientProvider } from '@presencekit/react';
import type { AblyEndpointOptions } from '@presencekit/react/server';
import * as Ably from 'ably';
import { type ReactNode, useState } from 'react';

export function ChatProvider({ endpoint, children }: { endpoint: AblyEndpointOptions; children: ReactNode }) {
  const [client] = useState(
    () =>
      new ChatClient(
        new Ably.Realtime({ ...endpoint, authUrl: '/api/ably-token', autoConnect: typeof window !== 'undefined' }),
      ),
  );
  return <ChatClientProvider client={client}>{children}</ChatClientProvider>;
}
`,
    );
    await writeFile(
      join(dir, 'app', 'page.tsx'),
      `import { ChatRoomProvider, ViewerCount } from '@presencekit/react';
import { ablyEndpointOptions } from '@presencekit/react/server';

import { ChatProvider } from './ChatProvider';

// A Server Component: the server helper runs here, the components render into the HTML.
export default function Page() {
  const endpoint = ablyEndpointOptions('http://127.0.0.1:8787');
  return (
    <ChatProvider endpoint={endpoint}>
      <ChatRoomProvider name="stage" options={{ occupancy: { enableEvents: true } }}>
        <ViewerCount initialData={{ connections: 1234, presenceMembers: 2 }} />
      </ChatRoomProvider>
    </ChatProvider>
  );
}
`,
    );
    await run('npx', NPX.concat('next', 'build'), dir, { env, timeoutMs: 180_000 });
    // Prerendered at build time: the count is in the HTML, from initialData, before any script.
    const html = readFileSync(join(dir, '.next', 'server', 'app', 'index.html'), 'utf8');
    expect(html).toContain('1,234 watching');
  });
});
