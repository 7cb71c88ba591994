import type { Server as HttpServer } from 'node:http';
import { parseKeyString } from './auth/keys.js';
import type { AppSpec } from './state/apps.js';
import { ANY_ORIGIN, normalizeOrigin } from './transport/access.js';

/** The key of the default app unless {@link EmulatorOptions.key} says otherwise. */
export const DEFAULT_KEY = 'emulator.root:local-dev-secret';

/** A room to keep populated with simulated visitors (`--simulate lobby:12`). */
export interface SimulatedRoom {
  /** Chat room name; visitors are present on channel `<room>::$chat`. */
  room: string;
  /** About how many visitors to keep present. */
  count: number;
  /** Mean time between churn events (enter, leave, status change) in ms. @defaultValue 1500 */
  intervalMs?: number;
  /**
   * Mean time in ms between the visitors' chat activity: now and then one of them sends a chat
   * message or reacts to a recent one (the room starts with a few, so it is never silent). `0`:
   * no chat. The same `seed` gives the same messages and reactions, in the same order.
   * @defaultValue 8000
   */
  messageIntervalMs?: number;
}

/**
 * Options of {@link startEmulator}. Every field is optional.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ leaveGraceMs: 200 });
 * const realtime = new Ably.Realtime(emulator.clientOptions({ clientId: 'alice' }));
 * ```
 */
export interface EmulatorOptions {
  /** Port to listen on; 0 picks a free one. Ignored with `server`. @defaultValue 0 */
  port?: number;
  /**
   * Address to bind. Besides loopback names, the emulator answers to this `Host` (and, bound to
   * every interface with `'0.0.0.0'` or `'::'`, to any IP address); other names are refused
   * unless an origin on them is in {@link EmulatorOptions.allowedOrigins}. @defaultValue '127.0.0.1'
   */
  host?: string;
  /**
   * Web pages, besides those on `localhost`, `127.x.x.x` and `[::1]` (any port), that may use the
   * emulator from a browser (REST with CORS, and WebSockets): origins such as
   * `'http://192.168.1.20:5173'` (scheme, host, optional port). Their hosts are also accepted in
   * `Host` headers. Requests without an `Origin` (Node, curl, server code) are always allowed.
   *
   * `'*'` admits every origin and every `Host`: then any web page opened in a browser that can
   * reach the emulator can read and write its rooms and create apps, with the default key, which
   * is public. Use it only on a network and with browsers you trust.
   *
   * @defaultValue [] (loopback pages only)
   * @example
   * ```ts
   * // Serving a LAN on purpose: phones open the app at http://192.168.1.20:5173.
   * const emulator = await startEmulator({
   *   host: '0.0.0.0',
   *   allowedOrigins: ['http://192.168.1.20:5173'],
   * });
   * ```
   */
  allowedOrigins?: readonly string[];
  /**
   * Most apps created by `POST /apps` that may exist at once; more are refused with 40115 until
   * some are deleted. `0` turns `POST /apps` off. `emulator.createApp()` is not limited.
   * @defaultValue 100
   */
  maxApps?: number;
  /**
   * An existing `http.Server` to serve on instead of opening a listener (like `ws`'s
   * `WebSocketServer({ server })`). The emulator handles every request and upgrade on it and
   * does not close it on `stop()`.
   */
  server?: HttpServer;
  /**
   * How long presence members of an abruptly dropped connection stay present, unless the client
   * resumes (a client's `remainPresentFor` transport param overrides it). @defaultValue 15000
   */
  leaveGraceMs?: number;
  /** How long a dropped connection can be resumed (`connectionStateTtl`). @defaultValue 120000 */
  connectionStateTtlMs?: number;
  /** `maxIdleInterval` sent to clients; 0 turns the client's idle check off. @defaultValue 15000 */
  maxIdleIntervalMs?: number;
  /**
   * Interval of protocol HEARTBEATs and WebSocket pings; a socket that answers neither for two
   * intervals is dropped. @defaultValue maxIdleIntervalMs / 2 (7500 when maxIdleIntervalMs is 0)
   */
  heartbeatIntervalMs?: number;
  /** Largest publish (sum of message sizes) accepted; larger ones are NACKed 40009. @defaultValue 65536 */
  maxMessageSize?: number;
  /** Largest inbound WebSocket frame in bytes; a larger frame closes that socket. @defaultValue 1048576 */
  maxFrameSize?: number;
  /**
   * Most members present on one channel at once, as Ably's "presence members per channel" limit
   * (200 on every package). One more enter is NACKed with 91003 and the member is not added.
   * Demos, benchmarks and tests with big rooms raise it (e.g. `20_000`); `simulate` rooms must
   * fit under it.
   * @defaultValue 200
   */
  maxPresenceMembers?: number;
  /**
   * Most bytes of member data (all members' `data` together) one channel's presence set may hold;
   * an enter or update past it is NACKed with 91006. Ably enforces such a limit but does not
   * document its size, so it is off unless set. `0`: no limit.
   * @defaultValue 0
   */
  maxPresenceDataBytes?: number;
  /**
   * Most channels one connection may have attached, as Ably's "channels per connection" limit
   * (200). One more ATTACH fails that channel alone with 90010.
   * @defaultValue 200
   */
  maxChannelsPerConnection?: number;
  /**
   * Most messages (published messages and presence items) per second one connection may send;
   * frames past it are NACKed with 42911 (nonfatal), as Ably's per-connection inbound rate limit
   * (50 per second on every package). A burst of up to this many at once is allowed. Off unless
   * set, because tests and demos often enter or publish in bursts. `0`: no limit.
   * @defaultValue 0
   * @example `maxInboundRate: 50` (Ably's limit)
   */
  maxInboundRate?: number;
  /** Presence members per SYNC frame; larger sets are sent in pages. @defaultValue 500 */
  syncPageSize?: number;
  /** Occupancy changes are coalesced for this long before `[meta]occupancy` goes out. @defaultValue 100 */
  occupancyDebounceMs?: number;
  /** History (messages, presence) retention on ordinary channels. @defaultValue 120000 */
  historyRetentionMs?: number;
  /** History retention on channels of a `persisted` namespace. @defaultValue 86400000 (24 h) */
  persistedHistoryRetentionMs?: number;
  /** Key of the default app (`appId.keyId:secret`, every capability). @defaultValue {@link DEFAULT_KEY} */
  key?: string;
  /** Extra apps to create at start. */
  apps?: AppSpec[];
  /** Rooms to populate with simulated visitors. */
  simulate?: SimulatedRoom[];
  /**
   * Simulated network latency, one way, in ms: every realtime frame waits this long in each
   * direction (a round trip costs twice), and every REST request and its response each wait this
   * long. Frames of one connection stay in order. Races that real networks expose (an enter
   * crossing a leave, a reattach racing its own presence echo) then show up locally. Keep it well
   * under the SDK's 10 s request timeout.
   * @defaultValue 0
   * @example `latencyMs: 50` (a typical mobile round trip is 100 ms)
   */
  latencyMs?: number;
  /**
   * Makes each delay `latencyMs` ± up to this much (uniform, never below 0), drawn from a PRNG
   * seeded with {@link EmulatorOptions.seed}, so a run can be repeated. Frames still never
   * overtake each other on one connection.
   * @defaultValue 0
   */
  latencyJitterMs?: number;
  /** Seed of the simulated visitors' random choices and of the latency jitter. @defaultValue 1 */
  seed?: number;
  /**
   * Serve the inspector, a web page at `<url>/inspector` that shows apps, channels, connections,
   * presence, occupancy and a live event log, and can drop or close connections, detach them,
   * expire tokens, remove members, add visitors and set latency. Like everything else it answers
   * loopback pages only; its actions only its own page. `false` turns it off (404).
   * @defaultValue true
   */
  inspector?: boolean;
  /** Receives one concise line per notable event (connections, errors). @defaultValue silent */
  log?: (line: string) => void;
  /**
   * The emulator's clock, in milliseconds since the epoch: the timestamps of messages and presence
   * events, `GET /time`, token expiry and history retention. Tests freeze or move it, e.g. to put
   * several events in one millisecond. @defaultValue Date.now
   */
  now?: () => number;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  port: number;
  host: string;
  /** Normalised origins (`http://host:port`) and/or `'*'`. */
  allowedOrigins: readonly string[];
  maxApps: number;
  server: HttpServer | undefined;
  leaveGraceMs: number;
  connectionStateTtlMs: number;
  maxIdleIntervalMs: number;
  heartbeatIntervalMs: number;
  maxMessageSize: number;
  maxFrameSize: number;
  maxPresenceMembers: number;
  maxPresenceDataBytes: number;
  maxChannelsPerConnection: number;
  maxInboundRate: number;
  syncPageSize: number;
  occupancyDebounceMs: number;
  historyRetentionMs: number;
  persistedHistoryRetentionMs: number;
  key: string;
  apps: AppSpec[];
  simulate: SimulatedRoom[];
  latencyMs: number;
  latencyJitterMs: number;
  seed: number;
  inspector: boolean;
  log: (line: string) => void;
  now: () => number;
}

/** Thrown by {@link startEmulator} for an invalid option; `option` names it. */
export class EmulatorOptionsError extends TypeError {
  readonly code = 'ERR_ABLY_EMULATOR_OPTION';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`Invalid emulator option "${option}": ${message}`);
    this.name = 'EmulatorOptionsError';
  }
}

const KNOWN = new Set<string>([
  'port',
  'host',
  'allowedOrigins',
  'maxApps',
  'server',
  'leaveGraceMs',
  'connectionStateTtlMs',
  'maxIdleIntervalMs',
  'heartbeatIntervalMs',
  'maxMessageSize',
  'maxFrameSize',
  'maxPresenceMembers',
  'maxPresenceDataBytes',
  'maxChannelsPerConnection',
  'maxInboundRate',
  'syncPageSize',
  'occupancyDebounceMs',
  'historyRetentionMs',
  'persistedHistoryRetentionMs',
  'key',
  'apps',
  'simulate',
  'latencyMs',
  'latencyJitterMs',
  'seed',
  'inspector',
  'log',
  'now',
]);

function int(
  options: EmulatorOptions,
  name: keyof EmulatorOptions,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}-${max}`;
    throw new EmulatorOptionsError(
      name,
      `expected an integer ${range}, got ${JSON.stringify(value) ?? typeof value}.`,
    );
  }
  return value;
}

/** `allowedOrigins` validated, each origin spelled as browsers send it. */
function resolveOrigins(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new EmulatorOptionsError(
      'allowedOrigins',
      'expected an array of origins such as ["http://192.168.1.20:5173"], or ["*"].',
    );
  }
  return value.map((entry: unknown) => {
    const origin =
      entry === ANY_ORIGIN
        ? ANY_ORIGIN
        : typeof entry === 'string'
          ? normalizeOrigin(entry)
          : undefined;
    if (origin === undefined) {
      throw new EmulatorOptionsError(
        'allowedOrigins',
        `expected "http(s)://host[:port]" (no path) or "*", got ${JSON.stringify(entry) ?? typeof entry}.`,
      );
    }
    return origin;
  });
}

/** Applies defaults and validates; throws {@link EmulatorOptionsError} naming the bad option. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new EmulatorOptionsError('options', 'expected an object.');
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) {
      throw new EmulatorOptionsError(
        name,
        `unknown option. Known options: ${[...KNOWN].join(', ')}.`,
      );
    }
  }
  const maxIdleIntervalMs = int(options, 'maxIdleIntervalMs', 15_000, 0);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') {
    throw new EmulatorOptionsError('host', 'expected an address such as "127.0.0.1".');
  }
  const allowedOrigins = resolveOrigins(options.allowedOrigins ?? []);
  const key = options.key ?? DEFAULT_KEY;
  if (typeof key !== 'string' || !parseKeyString(key)) {
    throw new EmulatorOptionsError(
      'key',
      'expected "appId.keyId:secret" (no spaces; no "." or ":" in the secret).',
    );
  }
  const server = options.server;
  if (server !== undefined && (typeof server !== 'object' || typeof server.on !== 'function')) {
    throw new EmulatorOptionsError('server', 'expected an http.Server.');
  }
  const simulate = options.simulate ?? [];
  if (!Array.isArray(simulate)) throw new EmulatorOptionsError('simulate', 'expected an array.');
  for (const s of simulate) {
    if (
      typeof s !== 'object' ||
      s === null ||
      typeof s.room !== 'string' ||
      s.room === '' ||
      !Number.isInteger(s.count) ||
      s.count < 0 ||
      s.count > 100_000 ||
      (s.intervalMs !== undefined && (!Number.isInteger(s.intervalMs) || s.intervalMs < 1)) ||
      (s.messageIntervalMs !== undefined &&
        (!Number.isInteger(s.messageIntervalMs) || s.messageIntervalMs < 0))
    ) {
      throw new EmulatorOptionsError(
        'simulate',
        'expected entries like { room: "lobby", count: 12 } (count 0-100000, intervalMs >= 1, messageIntervalMs >= 0).',
      );
    }
  }
  const maxPresenceMembers = int(options, 'maxPresenceMembers', 200, 1);
  for (const s of simulate) {
    // A simulated room churns up to 20% above its count (SimulatedRoom.step).
    const most = Math.ceil(s.count * 1.2);
    if (most > maxPresenceMembers) {
      throw new EmulatorOptionsError(
        'simulate',
        `room "${s.room}" keeps up to ${most} visitors present, over maxPresenceMembers (${maxPresenceMembers}, Ably's per-channel limit): raise maxPresenceMembers (--max-presence-members), e.g. to ${Math.max(1000, most * 2)}, or simulate fewer visitors.`,
      );
    }
  }
  const apps = options.apps ?? [];
  if (!Array.isArray(apps))
    throw new EmulatorOptionsError('apps', 'expected an array of app specs.');
  const log = options.log ?? (() => {});
  if (typeof log !== 'function') throw new EmulatorOptionsError('log', 'expected a function.');
  const inspector = options.inspector ?? true;
  if (typeof inspector !== 'boolean') {
    throw new EmulatorOptionsError('inspector', 'expected true or false.');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new EmulatorOptionsError('now', 'expected a function returning milliseconds.');
  }
  return {
    port: int(options, 'port', 0, 0, 65_535),
    host,
    allowedOrigins,
    maxApps: int(options, 'maxApps', 100, 0),
    server,
    leaveGraceMs: int(options, 'leaveGraceMs', 15_000, 0),
    connectionStateTtlMs: int(options, 'connectionStateTtlMs', 120_000, 1),
    maxIdleIntervalMs,
    heartbeatIntervalMs: int(
      options,
      'heartbeatIntervalMs',
      maxIdleIntervalMs > 0 ? Math.max(1, Math.floor(maxIdleIntervalMs / 2)) : 7_500,
      1,
    ),
    maxMessageSize: int(options, 'maxMessageSize', 65_536, 1),
    maxFrameSize: int(options, 'maxFrameSize', 1_048_576, 1024),
    maxPresenceMembers,
    maxPresenceDataBytes: int(options, 'maxPresenceDataBytes', 0, 0),
    maxChannelsPerConnection: int(options, 'maxChannelsPerConnection', 200, 1),
    maxInboundRate: int(options, 'maxInboundRate', 0, 0),
    syncPageSize: int(options, 'syncPageSize', 500, 1),
    occupancyDebounceMs: int(options, 'occupancyDebounceMs', 100, 0),
    historyRetentionMs: int(options, 'historyRetentionMs', 120_000, 0),
    persistedHistoryRetentionMs: int(options, 'persistedHistoryRetentionMs', 86_400_000, 0),
    key,
    apps,
    simulate,
    latencyMs: int(options, 'latencyMs', 0, 0, 60_000),
    latencyJitterMs: int(options, 'latencyJitterMs', 0, 0, 60_000),
    seed: int(options, 'seed', 1, 0, 2 ** 32 - 1),
    inspector,
    log,
    now,
  };
}
