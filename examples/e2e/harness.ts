// Shared pieces of the examples' end-to-end tests: free ports, servers started and stopped by
// process id, Debian's Chromium through playwright-core, and a watch on the browser console.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as Ably from 'ably';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';

import { chromiumLaunchOptions } from '../../scripts/chromium';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// The README screenshots, shared with the emulator inspector's end-to-end test.
export { saveScreenshot } from '../../scripts/screenshots';

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** A process the test started; `stop()` ends it and everything it spawned. */
export interface TestProcess {
  readonly child: ChildProcess;
  /** Everything the process printed so far (for assertions and failure messages). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `command` in `cwd` in its own process group. Stopping kills the group by its id
 * (SIGTERM, then SIGKILL), so no grandchild outlives the test.
 */
export function startProcess(options: {
  command: string;
  args: readonly string[];
  cwd: string;
  env?: Record<string, string>;
}): TestProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`No ${String(pattern)} in the output within ${timeoutMs} ms:\n${output}`),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    stop: () => stopGroup(child, exited),
  };
}

/** A server the test started, answering at `url`. */
export interface ServerProcess extends TestProcess {
  readonly url: string;
}

/** Starts a server with {@link startProcess} and resolves once `url` answers HTTP. */
export async function startServer(options: {
  command: string;
  args: readonly string[];
  cwd: string;
  url: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<ServerProcess> {
  const server = { ...startProcess(options), url: options.url };
  try {
    await waitForHttp(
      options.url,
      options.readyTimeoutMs ?? 30_000,
      () => server.child.exitCode !== null,
    );
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${server.output()}`, {
      cause: error,
    });
  }
  return server;
}

async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resolves once `url` answers with any HTTP status below 500. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    if (gaveUp()) throw new Error(`The server for ${url} exited before it answered.`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fails with a clear sentence when an example has not been built. */
export function requireBuilt(path: string, example: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${example} is not built (${path} is missing): run \`pnpm build\` at the repository root first.`,
    );
  }
}

/** Debian's Chromium, headless, never a downloaded browser; flags keep it offline and quiet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions, headless: true });
}

/**
 * Records what would show up red in the devtools: console errors and warnings, uncaught
 * exceptions, and React's hydration complaints (which React 19 reports as console errors or
 * recoverable errors).
 */
export function watchConsole(page: Page): { problems: () => string[] } {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    const text = message.text();
    if (message.type() === 'error' || /hydrat/i.test(text)) {
      problems.push(`console.${message.type()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { problems: () => [...problems] };
}

/**
 * A visitor of the demo app (examples/vite-app) at `url` in a browser context of their own (own
 * token, own client id), joined under `name`: resolves once the chat's message box is enabled.
 * Close `context` when done.
 */
export async function joinDemoRoom(
  browser: Browser,
  url: string,
  name: string,
): Promise<{ context: BrowserContext; page: Page; problems: () => string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { problems } = watchConsole(page);
  await page.goto(url);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join the room' }).click();
  await expect
    .poll(() => page.getByRole('textbox', { name: 'Message', exact: true }).isEnabled(), {
      timeout: 10_000,
    })
    .toBe(true);
  return { context, page, problems };
}

/**
 * Records the body of every response the page receives from `origin`, so a test can assert that
 * no secret ever reaches the browser, whatever the route.
 */
export function recordResponses(page: Page, origin: string): { bodies: () => Promise<string[]> } {
  const pending: Promise<string>[] = [];
  page.on('response', (response) => {
    if (!response.url().startsWith(origin)) return;
    pending.push(response.text().catch(() => ''));
  });
  return { bodies: () => Promise.all(pending) };
}

/** The number in a label such as "1,234 watching"; `undefined` when there is none. */
export function numberIn(text: string | null | undefined): number | undefined {
  const only = text?.replace(/[^\d]/g, '');
  return only ? Number(only) : undefined;
}

/**
 * Puts people in rooms before a test, from one real Ably connection (`enterClient`, as a server-side
 * bot would): `{ lobby: ['Ada Lovelace'] }` enters client `seed-lobby-0` with `{ name, status }`.
 * Close the returned client to make them leave.
 */
export async function seedPresence(
  clientOptions: Ably.ClientOptions,
  rooms: Record<string, readonly string[]>,
): Promise<Ably.Realtime> {
  const client = new Ably.Realtime({ ...clientOptions, logLevel: 0 });
  for (const [room, names] of Object.entries(rooms)) {
    const channel = client.channels.get(`${room}::$chat`);
    await channel.attach();
    await Promise.all(
      names.map((name, i) =>
        channel.presence.enterClient(`seed-${room}-${i}`, { name, status: 'online' }),
      ),
    );
  }
  return client;
}

/**
 * A member's presence data as the emulator holds it: JSON clients (browsers) send objects as a
 * JSON string with `encoding: 'json'`, binary clients as the object itself.
 */
export function memberData(member: { data?: unknown; encoding?: string }): unknown {
  return member.encoding === 'json' && typeof member.data === 'string'
    ? (JSON.parse(member.data) as unknown)
    : member.data;
}
