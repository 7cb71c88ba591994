import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as Ably from 'ably';
import { beforeAll, expect, test, vi } from 'vitest';
import { closeClient, onCleanup } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const READY =
  /^ably-emulator ready at http:\/\/127\.0\.0\.1:(\d+) key=([^:\s]+\.[^:\s]+:[^:.\s]+)$/;

beforeAll(() => {
  if (!existsSync(CLI)) {
    throw new Error(
      'dist/cli.js is missing: run "pnpm --filter @presencekit/ably-emulator build" first.',
    );
  }
});

/** Spawns the bin; resolves with the process and its stdout lines so far. */
function spawnCli(args: string[]): {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  onCleanup(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  });
  return { child, lines, stderr: () => stderr, exit };
}

async function readyLine(lines: string[], exit: Promise<number | null>): Promise<string> {
  const deadline = Date.now() + 10_000;
  let exited = false;
  void exit.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    if (lines.length > 0) return lines[0]!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ready line (exited: ${exited})`);
}

test('prints one ready line, serves the real SDK, stops on SIGTERM', async () => {
  const { child, lines, exit } = spawnCli(['--port', '0', '--simulate', 'lobby:3', '--quiet']);
  const line = await readyLine(lines, exit);
  const m = READY.exec(line);
  expect(m, line).not.toBeNull();
  const port = Number(m![1]);
  const key = m![2]!;
  expect(port).toBeGreaterThan(0);

  const client = new Ably.Realtime({
    endpoint: '127.0.0.1',
    port,
    tls: false,
    key,
    clientId: 'cli',
    logLevel: 0,
  });
  onCleanup(() => closeClient(client));
  const members = await client.channels.get('lobby::$chat').presence.get();
  expect(members.length).toBeGreaterThanOrEqual(2);
  for (const member of members) {
    const data = member.data as { name: unknown; avatar?: unknown };
    expect(typeof data.name).toBe('string');
    // Served by this emulator over http (some visitors have none).
    if (data.avatar !== undefined) {
      expect(data.avatar).toBe(`http://127.0.0.1:${port}/avatars/${member.clientId}.svg`);
      expect((await fetch(data.avatar as string)).status).toBe(200);
    }
  }
  await closeClient(client);

  process.kill(child.pid!, 'SIGTERM');
  expect(await exit).toBe(0);
  expect(lines.filter((l) => l.startsWith('ably-emulator ready'))).toHaveLength(1);
});

test('bad flags exit 2 with a clear message', async () => {
  for (const args of [
    ['--port', 'abc'],
    ['--simulate', 'lobby'],
    ['--bogus'],
    ['--allowed-origins', '192.168.1.20:5173'],
    ['--max-presence-members', '0'],
    ['--simulate', 'stage:300'],
  ]) {
    const { exit, stderr } = spawnCli(args);
    expect(await exit).toBe(2);
    expect(stderr()).toMatch(/^ably-emulator: .+\nRun "ably-emulator --help" for usage\.\n$/);
  }
});

test('--help prints usage and exits 0', async () => {
  const { exit, lines } = spawnCli(['--help']);
  expect(await exit).toBe(0);
  expect(lines.join('\n')).toContain('--leave-grace-ms <n>');
  expect(lines.join('\n')).toContain('--allowed-origins <origin>[,<origin>...]');
  for (const flag of [
    '--max-presence-members <n>',
    '--max-presence-data-bytes <n>',
    '--max-channels-per-connection <n>',
    '--max-inbound-rate <n>',
    '--latency-ms <n>',
    '--latency-jitter-ms <n>',
  ]) {
    expect(lines.join('\n')).toContain(flag);
  }
});

test('--allowed-origins admits the listed pages; others stay refused', async () => {
  const lan = 'http://192.168.1.20:5173';
  const { lines, exit, child, stderr } = spawnCli([
    '--port',
    '0',
    '--quiet',
    '--allowed-origins',
    `${lan}, http://devbox.lan:3000`,
  ]);
  const port = Number(READY.exec(await readyLine(lines, exit))![1]);
  const time = (origin: string) => fetch(`http://127.0.0.1:${port}/time`, { headers: { origin } });
  const ok = await time(lan);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('access-control-allow-origin')).toBe(lan);
  expect((await time('http://devbox.lan:3000')).status).toBe(200);
  const refused = await time('https://evil.example');
  expect(refused.status).toBe(403);
  expect(refused.headers.get('x-ably-errorcode')).toBe('40300');
  process.kill(child.pid!, 'SIGTERM');
  expect(await exit).toBe(0);
  expect(stderr()).toBe('');
});

test("--allowed-origins '*' warns on stderr", async () => {
  const { lines, exit, child, stderr } = spawnCli([
    '--port',
    '0',
    '--quiet',
    '--allowed-origins',
    '*',
  ]);
  const port = Number(READY.exec(await readyLine(lines, exit))![1]);
  const answer = await fetch(`http://127.0.0.1:${port}/time`, {
    headers: { origin: 'https://evil.example' },
  });
  expect(answer.status).toBe(200);
  process.kill(child.pid!, 'SIGTERM');
  expect(await exit).toBe(0);
  expect(stderr()).toMatch(/^ably-emulator: warning: .*any web page/);
});

test('logs where the inspector is, after the ready line; --no-inspector turns it off', async () => {
  const on = spawnCli(['--port', '0']);
  const port = Number(READY.exec(await readyLine(on.lines, on.exit))![1]);
  await vi.waitFor(() =>
    expect(on.lines[1]).toBe(`[ably-emulator] inspector at http://127.0.0.1:${port}/inspector`),
  );
  process.kill(on.child.pid!, 'SIGTERM');
  expect(await on.exit).toBe(0);

  const off = spawnCli(['--port', '0', '--no-inspector']);
  const offPort = Number(READY.exec(await readyLine(off.lines, off.exit))![1]);
  expect((await fetch(`http://127.0.0.1:${offPort}/inspector`)).status).toBe(404);
  process.kill(off.child.pid!, 'SIGTERM');
  expect(await off.exit).toBe(0);
  expect(off.lines.join('\n')).not.toContain('inspector at');
});
