import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseKeyString } from './auth/keys.js';
import { createInspector, type Inspector } from './inspector/inspector.js';
import { INSPECTOR_PATH } from './inspector/wire.js';
import {
  issueToken,
  signJwt,
  type TokenDetails,
  type TokenParams,
  toTokenDetails,
} from './auth/tokens.js';
import { Errors } from './protocol/errors.js';
import { type EmulatorOptions, resolveOptions, type ResolvedOptions } from './options.js';
import { cancelOccupancy } from './realtime/occupancy.js';
import { Realtime } from './realtime/realtime.js';
import type { RestEnv } from './rest/context.js';
import { Router } from './rest/router.js';
import { ROUTES } from './rest/routes/index.js';
import { SimulatedRoom } from './simulate/visitors.js';
import type { App, AppDescription } from './state/app.js';
import { AppRegistry, type AppSpec } from './state/apps.js';
import type { OccupancyMetrics } from './state/channel.js';
import { randomId } from './state/ids.js';
import { EmulatorServer } from './transport/server.js';

/** Client options that point the real SDKs at the emulator. */
export interface EmulatorClientOptions {
  endpoint: string;
  port: number;
  tls: false;
  key: string;
}

/** A presence member as {@link Emulator.channel} reports it. */
export interface MemberSnapshot {
  clientId: string;
  connectionId: string;
  id: string;
  timestamp: number;
  data?: unknown;
  encoding?: string;
}

/** State of one channel, for assertions in tests. */
export interface ChannelSnapshot {
  name: string;
  /** Whether the channel exists (has been used) at all. */
  exists: boolean;
  metrics: OccupancyMetrics;
  members: MemberSnapshot[];
  /** Messages currently retained in history. */
  messageCount: number;
}

/** Sandbox-style app description plus where clients connect (the `POST /apps` answer). */
export interface CreatedApp extends AppDescription {
  endpoint: string;
  port: number;
  tls: false;
}

/**
 * A running emulator: created by {@link startEmulator}.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const realtime = new Ably.Realtime(emulator.clientOptions({ clientId: 'alice' }));
 * // ...
 * realtime.close();
 * await emulator.stop();
 * ```
 */
export class Emulator {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** The port clients connect to. */
  readonly port: number;
  /** Host clients use as `endpoint` (loopback when listening on all interfaces). */
  readonly host: string;
  /** The default app's key (`appId.keyId:secret`, every capability). */
  readonly key: string;
  /** The default app. */
  readonly app: App;
  /** Every app (default, configured, and created at run time). */
  readonly apps: AppRegistry;
  /** Resolved options. */
  readonly options: ResolvedOptions;
  /** The inspector page, e.g. `http://127.0.0.1:8787/inspector`; undefined with `inspector: false`. */
  readonly inspectorUrl: string | undefined;

  private readonly realtime: Realtime;
  private readonly server: EmulatorServer;
  private readonly simulations: SimulatedRoom[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private stopping: Promise<void> | undefined;

  /** @internal Use {@link startEmulator}. */
  constructor(
    options: ResolvedOptions,
    apps: AppRegistry,
    app: App,
    realtime: Realtime,
    server: EmulatorServer,
    address: { host: string; port: number },
    private readonly inspector?: Inspector,
  ) {
    this.options = options;
    this.apps = apps;
    this.app = app;
    this.realtime = realtime;
    this.server = server;
    this.port = address.port;
    this.host = address.host;
    this.url = `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
    this.key = options.key;
    this.inspectorUrl = inspector ? `${this.url}${INSPECTOR_PATH}` : undefined;
    // Forget idle channels whose history expired, so long runs do not grow without bound.
    this.sweeper = setInterval(() => {
      for (const a of this.apps.values()) a.sweepChannels();
    }, 30_000);
    this.sweeper.unref();
  }

  /**
   * Options for `new Ably.Realtime(...)` / `new Ably.Rest(...)`: `{ endpoint, port, tls: false,
   * key, ...extra }`. Pass `useBinaryProtocol`, `clientId`, etc. in `extra`; pass `key: undefined`
   * with `authCallback` for token auth.
   */
  clientOptions<T extends object = object>(extra?: T): EmulatorClientOptions & T {
    return { endpoint: this.host, port: this.port, tls: false, key: this.key, ...(extra as T) };
  }

  /**
   * Creates an isolated app (same as `POST /apps`). Throws an `AblyError` (40000/40003) for an
   * invalid spec.
   */
  createApp(spec: AppSpec = {}): CreatedApp {
    const app = this.apps.create(spec);
    return { ...app.describe(), endpoint: this.host, port: this.port, tls: false };
  }

  /** Deletes an app: its connections get an ERROR and close. False when there is no such app. */
  deleteApp(appId: string): boolean {
    const app = this.apps.get(appId);
    if (!app) return false;
    this.realtime.closeApp(app);
    for (const ch of app.channels.values()) cancelOccupancy(ch);
    return this.apps.delete(appId);
  }

  /**
   * Issues a token from a key (default: the default app's key), as `requestToken` would.
   * @example `emulator.createToken({ clientId: 'alice', capability: { 'room::$chat': ['presence', 'subscribe'] }, ttl: 60_000 })`
   */
  createToken(params: TokenParams & { key?: string } = {}): TokenDetails {
    const { key: keyStr = this.key, ...tokenParams } = params;
    const parsed = parseKeyString(keyStr);
    const found = parsed ? this.apps.findKey(parsed.keyName) : undefined;
    if (!found || found.key.secret !== parsed?.secret)
      throw Errors.invalidCredentials('Unknown key.');
    return toTokenDetails(issueToken(found.app, found.key, tokenParams));
  }

  /**
   * Signs an Ably JWT (HS256, `kid` = keyName) with a key (default: the default app's key).
   * @example `new Ably.Realtime(emulator.clientOptions({ key: undefined, token: emulator.createJwt({ clientId: 'alice' }) }))`
   */
  createJwt(
    params: {
      clientId?: string;
      capability?: string | Record<string, string[]>;
      ttl?: number;
      key?: string;
    } = {},
  ): string {
    const parsed = parseKeyString(params.key ?? this.key);
    const found = parsed ? this.apps.findKey(parsed.keyName) : undefined;
    if (!found || found.key.secret !== parsed?.secret)
      throw Errors.invalidCredentials('Unknown key.');
    const claims: Record<string, unknown> = {};
    if (params.clientId !== undefined) claims['x-ably-clientId'] = params.clientId;
    if (params.capability !== undefined) {
      claims['x-ably-capability'] =
        typeof params.capability === 'string'
          ? params.capability
          : JSON.stringify(params.capability);
    }
    return signJwt(found.key, params.ttl ?? 60 * 60 * 1000, claims);
  }

  /** A snapshot of a channel of an app (default app unless `appId` is given). */
  channel(name: string, appId?: string): ChannelSnapshot {
    const app = appId === undefined ? this.app : this.apps.get(appId);
    const ch = app?.findChannel(name);
    if (!ch) {
      return {
        name,
        exists: false,
        metrics: {
          connections: 0,
          publishers: 0,
          subscribers: 0,
          presenceConnections: 0,
          presenceMembers: 0,
          presenceSubscribers: 0,
          objectPublishers: 0,
          objectSubscribers: 0,
        },
        members: [],
        messageCount: 0,
      };
    }
    return {
      name,
      exists: true,
      metrics: ch.metrics(),
      members: [...ch.presence.values()].map((m) => ({
        clientId: m.clientId,
        connectionId: m.connectionId,
        id: m.id,
        timestamp: m.timestamp,
        ...(m.data !== undefined ? { data: m.data } : {}),
        ...(m.encoding !== undefined ? { encoding: m.encoding } : {}),
      })),
      messageCount: ch.messages.size,
    };
  }

  /** Number of live or resumable realtime connections (simulated visitors included). */
  get connectionCount(): number {
    return this.realtime.connectionCount;
  }

  /**
   * Drops a connection's socket as a network failure would (no CLOSE): the client reconnects and
   * resumes; without a resume its members leave after the grace period. False if not connected.
   */
  dropConnection(connectionId: string): boolean {
    const conn = this.realtime.connection(connectionId);
    if (!conn || conn.state !== 'connected' || !conn.transport) return false;
    conn.transport.terminate?.();
    this.realtime.dropTransport(conn, 'dropped on request');
    return true;
  }

  /** Handles an HTTP request (when you route requests to the emulator yourself). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.server.handleRequest(req, res);
  }

  /** Handles an upgrade request (when you route upgrades to the emulator yourself). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(req, socket, head);
  }

  /** @internal Starts the simulated rooms from the options. */
  startSimulations(): void {
    this.options.simulate.forEach(({ room, count, intervalMs, messageIntervalMs }, i) => {
      const sim = new SimulatedRoom(
        this.realtime,
        this.app,
        room,
        count,
        this.options.seed + i,
        intervalMs,
        this.url,
        messageIntervalMs,
      );
      this.simulations.push(sim);
      sim.start();
    });
  }

  /** Simulated visitors present per room. */
  simulatedVisitors(): Record<string, number> {
    return Object.fromEntries(this.simulations.map((s) => [s.room, s.size]));
  }

  /**
   * Keeps about `count` simulated visitors in a room of the default app from now on, as the
   * `simulate` option does at start: the difference enters or leaves at once; `0` empties the
   * room. Throws a RangeError when the room would not fit under `maxPresenceMembers`.
   * @example `emulator.setSimulatedVisitors('lobby', 50)`
   */
  setSimulatedVisitors(room: string, count: number): void {
    if (typeof room !== 'string' || room === '') throw new RangeError('Name a room.');
    if (!Number.isInteger(count) || count < 0 || count > 100_000) {
      throw new RangeError(`Expected 0-100000 visitors, got ${count}.`);
    }
    // A simulated room churns up to 20% above its count (SimulatedRoom.step).
    const most = Math.ceil(count * 1.2);
    if (most > this.options.maxPresenceMembers) {
      throw new RangeError(
        `${count} visitors churn up to ${most}, over maxPresenceMembers (${this.options.maxPresenceMembers}): start the emulator with a higher maxPresenceMembers (--max-presence-members), or add fewer.`,
      );
    }
    const existing = this.simulations.find((s) => s.room === room);
    if (existing) {
      existing.resize(count);
      return;
    }
    const sim = new SimulatedRoom(
      this.realtime,
      this.app,
      room,
      count,
      this.options.seed + this.simulations.length,
      undefined,
      this.url,
    );
    this.simulations.push(sim);
    sim.start();
  }

  /** The simulated network latency now, as the options or {@link setLatency} set it. */
  get latency(): { latencyMs: number; latencyJitterMs: number } {
    return { latencyMs: this.server.latency.ms, latencyJitterMs: this.server.latency.jitterMs };
  }

  /**
   * Changes the simulated network latency while running (the `latencyMs` and `latencyJitterMs`
   * options): open connections are delayed from their next frame on. Throws a RangeError outside
   * 0-60000 ms.
   */
  setLatency(latencyMs: number, latencyJitterMs = 0): void {
    for (const [name, value] of [
      ['latencyMs', latencyMs],
      ['latencyJitterMs', latencyJitterMs],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 60_000) {
        throw new RangeError(`${name} must be an integer from 0 to 60000, got ${value}.`);
      }
    }
    this.server.latency.set(latencyMs, latencyJitterMs);
  }

  /**
   * Stops everything: simulations, connections (sockets closed), timers and the listener (not a
   * server passed in `options.server`). Idempotent: later calls return the same promise.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.sweeper);
      for (const s of this.simulations) s.stop();
      this.inspector?.stop();
      this.realtime.closeAll();
      for (const a of this.apps.values()) for (const ch of a.channels.values()) cancelOccupancy(ch);
      await this.server.close();
    })();
    return this.stopping;
  }
}

/**
 * Starts an emulator and resolves once it is listening.
 *
 * @example
 * ```ts
 * // vitest globalSetup
 * export default async function setup({ provide }) {
 *   const emulator = await startEmulator({ leaveGraceMs: 100 });
 *   provide('ablyPort', emulator.port);
 *   return () => emulator.stop();
 * }
 * ```
 * @throws EmulatorOptionsError for an invalid option; the listen error (e.g. EADDRINUSE) otherwise.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const apps = new AppRegistry(
    {
      historyRetentionMs: resolved.historyRetentionMs,
      persistedHistoryRetentionMs: resolved.persistedHistoryRetentionMs,
      maxPresenceMembers: resolved.maxPresenceMembers,
      maxPresenceDataBytes: resolved.maxPresenceDataBytes,
    },
    resolved.now,
  );
  const parsed = parseKeyString(resolved.key)!;
  const app = apps.create({
    appId: parsed.appId,
    keys: [{ keyId: parsed.keyId, secret: parsed.secret }],
  });
  for (const spec of resolved.apps) apps.create(spec);
  const realtime = new Realtime(resolved, apps, `emulator-${randomId(4)}`);
  const holder: { emulator?: Emulator } = {};
  const inspector = resolved.inspector
    ? createInspector(apps, realtime, app, () => holder.emulator)
    : undefined;
  // Ids of the apps POST /apps created; those deleted since are dropped before counting.
  const provisioned = new Set<string>();
  const env: RestEnv = {
    apps,
    realtime,
    options: resolved,
    address: () => ({
      host: holder.emulator?.host ?? resolved.host,
      port: holder.emulator?.port ?? 0,
    }),
    createApp: (spec) => {
      for (const id of provisioned) if (!apps.get(id)) provisioned.delete(id);
      if (provisioned.size >= resolved.maxApps) throw Errors.tooManyApps(resolved.maxApps);
      const created = apps.create(spec);
      provisioned.add(created.id);
      return created;
    },
    deleteApp: (appId) => holder.emulator?.deleteApp(appId) ?? false,
  };
  const server = new EmulatorServer(
    {
      host: resolved.host,
      port: resolved.port,
      server: resolved.server,
      maxFrameSize: resolved.maxFrameSize,
      heartbeatIntervalMs: resolved.heartbeatIntervalMs,
      allowedOrigins: resolved.allowedOrigins,
      latencyMs: resolved.latencyMs,
      latencyJitterMs: resolved.latencyJitterMs,
      seed: resolved.seed,
      log: resolved.log,
    },
    realtime,
    new Router(env, ROUTES),
    inspector,
  );
  const address = await server.listen();
  const emulator = new Emulator(
    resolved,
    apps,
    app,
    realtime,
    server,
    { host: clientHost(address.address), port: address.port },
    inspector,
  );
  holder.emulator = emulator;
  emulator.startSimulations();
  return emulator;
}

/** The host clients should use: loopback when bound to every interface. */
function clientHost(bound: string): string {
  if (bound === '0.0.0.0' || bound === '::' || bound === '') return '127.0.0.1';
  return bound;
}
