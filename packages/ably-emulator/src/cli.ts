#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { EmulatorOptionsError, type SimulatedRoom } from './options.js';
import { startEmulator } from './emulator.js';

const HELP = `Usage: ably-emulator [options]

A local Ably-compatible realtime + REST server for the real ably and @ably/chat SDKs.

Options:
  --port <n>             Port to listen on; 0 picks a free one (default 8787)
  --host <addr>          Address to bind (default 127.0.0.1). A non-loopback address
                         exposes the emulator, and its public default key, to that network
  --allowed-origins <origin>[,<origin>...]
                         Web pages besides localhost/127.0.0.1/[::1] that may use the
                         emulator, e.g. http://192.168.1.20:5173. '*' lets any page you
                         visit read and write your rooms: only on a trusted network
  --leave-grace-ms <n>   How long members of a dropped connection stay present (default 15000)
  --simulate <room>:<n>[,<room>:<n>...]
                         Keep about n simulated visitors in each chat room (<room>::$chat);
                         rooms over 166 visitors need --max-presence-members
  --max-presence-members <n>
                         Most members present on one channel; one more enter fails with
                         91003 (default 200, Ably's limit)
  --max-presence-data-bytes <n>
                         Most bytes of member data on one channel; more fails with 91006
                         (default 0: no limit; Ably's is undocumented)
  --max-channels-per-connection <n>
                         Most channels one connection may attach; one more fails with 90010
                         (default 200, Ably's limit)
  --max-inbound-rate <n> Most messages per second one connection may publish; more are
                         refused with 42911 (default 0: no limit; Ably's is 50)
  --latency-ms <n>       Simulated network latency: every realtime frame waits n ms each way,
                         every REST request and response too (default 0)
  --latency-jitter-ms <n>
                         Each delay is the latency +/- up to n ms, seeded by --seed (default 0)
  --seed <n>             Seed of the simulated visitors and the latency jitter (default 1)
  --no-inspector         Do not serve the inspector page (<url>/inspector)
  --quiet                Print only the ready line and errors
  -h, --help             Show this help

Point clients at it with { endpoint: '127.0.0.1', port, tls: false, key }.`;

const MAX_INT = Number.MAX_SAFE_INTEGER;

/** `{ [name]: value }`, or nothing when the flag was not given (the option keeps its default). */
function optional<K extends string>(
  name: K,
  value: number | undefined,
): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, number>);
}

/** A bad command line: printed with the usage hint, exit code 2. */
class UsageError extends Error {}

function integer(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} expects an integer from ${min} to ${max}, got "${value}".`);
  }
  return n;
}

function parseSimulate(value: string | undefined): SimulatedRoom[] {
  if (value === undefined) return [];
  return value.split(',').map((part) => {
    const m = /^(.+):(\d+)$/.exec(part.trim());
    if (!m) throw new UsageError(`--simulate expects <room>:<n>[,<room>:<n>...], got "${part}".`);
    return { room: m[1]!, count: Number(m[2]) };
  });
}

/** `a,b , c` → `['a', 'b', 'c']` (empty entries dropped). */
function parseList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allowed-origins': { type: 'string' },
        'leave-grace-ms': { type: 'string' },
        simulate: { type: 'string' },
        'max-presence-members': { type: 'string' },
        'max-presence-data-bytes': { type: 'string' },
        'max-channels-per-connection': { type: 'string' },
        'max-inbound-rate': { type: 'string' },
        'latency-ms': { type: 'string' },
        'latency-jitter-ms': { type: 'string' },
        seed: { type: 'string' },
        'no-inspector': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const quiet = values.quiet === true;
  const simulate = parseSimulate(values.simulate);
  const emulator = await startEmulator({
    port: integer('port', values.port, 0, 65_535) ?? 8787,
    host: values.host ?? '127.0.0.1',
    allowedOrigins: parseList(values['allowed-origins']),
    leaveGraceMs: integer('leave-grace-ms', values['leave-grace-ms'], 0, 2 ** 31 - 1) ?? 15_000,
    simulate,
    ...optional(
      'maxPresenceMembers',
      integer('max-presence-members', values['max-presence-members'], 1, MAX_INT),
    ),
    ...optional(
      'maxPresenceDataBytes',
      integer('max-presence-data-bytes', values['max-presence-data-bytes'], 0, MAX_INT),
    ),
    ...optional(
      'maxChannelsPerConnection',
      integer('max-channels-per-connection', values['max-channels-per-connection'], 1, MAX_INT),
    ),
    ...optional(
      'maxInboundRate',
      integer('max-inbound-rate', values['max-inbound-rate'], 0, MAX_INT),
    ),
    ...optional('latencyMs', integer('latency-ms', values['latency-ms'], 0, 60_000)),
    ...optional(
      'latencyJitterMs',
      integer('latency-jitter-ms', values['latency-jitter-ms'], 0, 60_000),
    ),
    seed: integer('seed', values.seed, 0, 2 ** 32 - 1) ?? 1,
    inspector: values['no-inspector'] !== true,
    ...(quiet ? {} : { log: (line: string) => console.log(`[ably-emulator] ${line}`) }),
  });
  console.log(`ably-emulator ready at ${emulator.url} key=${emulator.key}`);
  // A line of its own: scripts parse the ready line as it is.
  if (!quiet && emulator.inspectorUrl) {
    console.log(`[ably-emulator] inspector at ${emulator.inspectorUrl}`);
  }
  if (emulator.options.allowedOrigins.includes('*')) {
    console.error(
      `ably-emulator: warning: --allowed-origins '*' lets any web page your browser opens read and write this emulator's rooms.`,
    );
  }
  if (!quiet && simulate.length > 0) {
    console.log(
      `[ably-emulator] simulating ${simulate.map((s) => `${s.count} visitors in ${s.room}`).join(', ')}`,
    );
  }
  const shutdown = (signal: string) => {
    if (!quiet) console.log(`[ably-emulator] ${signal}: stopping`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof EmulatorOptionsError) {
    console.error(`ably-emulator: ${err.message}\nRun "ably-emulator --help" for usage.`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    console.error(
      `ably-emulator: port already in use. Pick another with --port <n> (0 = any free port).`,
    );
  } else {
    console.error(`ably-emulator: ${e.message ?? String(err)}`);
  }
  process.exit(1);
});
