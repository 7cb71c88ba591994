import { Action, PresenceAction } from '../protocol/actions.js';
import type { ProtocolMessage, WireData } from '../protocol/types.js';
import type { App } from '../state/app.js';
import type { AppRegistry } from '../state/apps.js';
import type { Attachment, Channel } from '../state/channel.js';
import type { Connection, ConnectionState } from '../state/connection.js';
import type { AppObserver } from '../state/observer.js';
import { memberKey } from '../state/presence-set.js';
import { appSummary, channelList, connectionRow, memberRow, preview } from './views.js';
import {
  type EmulatorInfo,
  LOG_LIMIT,
  type LogEntry,
  type LogKind,
  type Snapshot,
  type Update,
} from './wire.js';

/** Updates go out at most this often: a join storm becomes a few events, not thousands. */
const FLUSH_INTERVAL_MS = 100;

/**
 * Past this many changed rows waiting for one stream (one that reads too slowly), it is sent a
 * new snapshot instead: the rows to remove would otherwise pile up for as long as it lags.
 */
const RESYNC_THRESHOLD = 50_000;

/** What the feed reads besides what its observer calls bring. */
export interface FeedSource {
  readonly apps: AppRegistry;
  /** A live or resumable connection of any app. */
  connection(id: string): Connection | undefined;
  /** Emulator-wide settings and simulated rooms. */
  info(): EmulatorInfo;
}

/** A log entry as recorded: its data is shortened only if someone reads it. */
interface Recorded {
  seq: number;
  at: number;
  kind: LogKind;
  action: string;
  channel: string | null;
  clientId: string | null;
  connectionId: string | null;
  data?: WireData;
  encoding?: string;
}

/** The latest {@link LOG_LIMIT} entries of one app. */
class LogRing {
  private readonly entries: Recorded[] = [];
  private start = 0;
  seq = 0;

  push(entry: Recorded): void {
    if (this.entries.length < LOG_LIMIT) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.start] = entry;
    this.start = (this.start + 1) % LOG_LIMIT;
  }

  /** Oldest first. */
  values(): Recorded[] {
    return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
  }
}

function toEntry(r: Recorded): LogEntry {
  return {
    seq: r.seq,
    at: r.at,
    kind: r.kind,
    action: r.action,
    channel: r.channel,
    clientId: r.clientId,
    connectionId: r.connectionId,
    detail: preview(r.data, r.encoding),
  };
}

const PRESENCE_ACTIONS: Record<number, string> = {
  [PresenceAction.ENTER]: 'enter',
  [PresenceAction.LEAVE]: 'leave',
  [PresenceAction.UPDATE]: 'update',
  [PresenceAction.PRESENT]: 'present',
};

/**
 * One open stream: the app and channel it shows, and what changed for it since its last event,
 * by id (rows are read from the state when the event is built, so they are never stale).
 */
export class Watcher {
  readonly connections = new Set<string>();
  readonly members = new Set<string>();
  channelsChanged = false;
  log: Recorded[] = [];
  /** Its socket's buffer is full: events wait until it drains. */
  paused = false;
  /** Too far behind for changes, or its app was deleted: the next event is a snapshot. */
  resync = false;
  /** Whether its app existed when it was last sent something. */
  appExisted = false;
  /** The JSON of what was last sent of each list that is sent whole. */
  readonly sent = { apps: '', emulator: '', channels: '' };

  constructor(
    readonly appId: string,
    readonly channel: string | null,
    /** Writes one event; false when the socket's buffer is full. */
    readonly send: (event: 'snapshot' | 'update', data: string) => boolean,
  ) {}

  /** Notes a changed row (`rows`: its connections or its members). */
  touch(rows: Set<string>, id: string): void {
    if (this.resync) return;
    rows.add(id);
    if (rows.size > RESYNC_THRESHOLD) {
      this.resync = true;
      this.connections.clear();
      this.members.clear();
    }
  }
}

/**
 * The inspector's view of the emulator: an {@link AppObserver} that keeps each app's recent event
 * log and when each member entered, and tells every open stream what changed, coalesced.
 * Without open streams it only records the log.
 */
export class InspectorFeed implements AppObserver {
  private readonly logs = new WeakMap<App, LogRing>();
  /** When each member of a channel entered (its own timestamp moves with every update). */
  private readonly entered = new WeakMap<Channel, Map<string, number>>();
  /** Each connection's state when last heard of, to name what happened to it. */
  private readonly states = new WeakMap<Connection, ConnectionState>();
  private readonly watchers = new Set<Watcher>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly source: FeedSource) {}

  // --- What the emulator reports (AppObserver) ---

  connectionChanged(conn: Connection): void {
    const before = this.states.get(conn);
    const now = conn.state;
    if (now === 'closed') this.states.delete(conn);
    else this.states.set(conn, now);
    const action =
      before === undefined
        ? 'opened'
        : before === now
          ? undefined
          : now === 'connected'
            ? 'resumed'
            : now;
    if (action) this.record(conn.app, 'connection', action, null, conn.clientId, conn.id);
    for (const w of this.watching(conn.app)) w.touch(w.connections, conn.id);
    this.schedule();
  }

  attachmentChanged(att: Attachment, attached: boolean): void {
    const conn = att.connection;
    const action = attached ? 'attached' : 'detached';
    this.record(conn.app, 'channel', action, att.channel.name, conn.clientId, conn.id);
    for (const w of this.watching(conn.app)) {
      w.touch(w.connections, conn.id);
      w.channelsChanged = true;
    }
    this.schedule();
  }

  broadcast(channel: Channel, message: ProtocolMessage): void {
    const app = channel.app;
    if (message.action === Action.PRESENCE) {
      const entered = this.enteredOn(channel);
      for (const item of message.presence ?? []) {
        const key = memberKey(item.clientId ?? '', item.connectionId ?? '');
        if (item.action === PresenceAction.LEAVE) entered.delete(key);
        else if (!entered.has(key)) entered.set(key, item.timestamp ?? app.now());
        const action = PRESENCE_ACTIONS[item.action] ?? String(item.action);
        this.record(app, 'presence', action, channel.name, item.clientId, item.connectionId, item);
        for (const w of this.watching(app)) if (w.channel === channel.name) w.touch(w.members, key);
      }
    } else if (message.action === Action.MESSAGE) {
      for (const m of message.messages ?? []) {
        const connectionId = m.connectionId ?? message.connectionId;
        this.record(app, 'message', m.name || 'message', channel.name, m.clientId, connectionId, m);
      }
    } else {
      return;
    }
    for (const w of this.watching(app)) w.channelsChanged = true;
    this.schedule();
  }

  private record(
    app: App,
    kind: LogKind,
    action: string,
    channel: string | null,
    clientId: string | undefined,
    connectionId: string | undefined,
    payload?: { data?: WireData; encoding?: string },
  ): void {
    let ring = this.logs.get(app);
    if (!ring) this.logs.set(app, (ring = new LogRing()));
    const entry: Recorded = {
      seq: ++ring.seq,
      at: app.now(),
      kind,
      action,
      channel,
      clientId: clientId ?? null,
      connectionId: connectionId ?? null,
    };
    if (payload?.data !== undefined) entry.data = payload.data;
    if (payload?.encoding !== undefined) entry.encoding = payload.encoding;
    ring.push(entry);
    for (const w of this.watching(app)) {
      w.log.push(entry);
      // Only the latest LOG_LIMIT are sent: trimmed now and then, not on every push.
      if (w.log.length >= 2 * LOG_LIMIT) w.log = w.log.slice(-LOG_LIMIT);
    }
  }

  private enteredOn(channel: Channel): Map<string, number> {
    let entered = this.entered.get(channel);
    if (!entered) this.entered.set(channel, (entered = new Map<string, number>()));
    return entered;
  }

  private *watching(app: App): Generator<Watcher> {
    if (this.watchers.size === 0) return;
    for (const w of this.watchers) if (w.appId === app.id) yield w;
  }

  // --- Streams ---

  /** Starts a stream: sends it a snapshot now, then updates. */
  watch(
    appId: string | null,
    channel: string | null,
    send: (event: 'snapshot' | 'update', data: string) => boolean,
  ): Watcher {
    const w = new Watcher(appId ?? this.source.info().defaultApp, channel, send);
    this.watchers.add(w);
    w.paused = !send('snapshot', JSON.stringify(this.snapshot(w)));
    return w;
  }

  unwatch(w: Watcher): void {
    this.watchers.delete(w);
  }

  /** A paused stream's socket drained: send it what it missed. */
  resume(w: Watcher): void {
    w.paused = false;
    this.schedule(true);
  }

  /** Something outside the observed state changed (latency, simulated rooms): tell everyone. */
  changed(): void {
    this.schedule(true);
  }

  /** Stops the timer and forgets every stream (emulator stopping). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watchers.clear();
  }

  private schedule(now = false): void {
    if (this.watchers.size === 0) return;
    if (this.timer !== undefined && !now) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), now ? 0 : FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    const apps = [...this.source.apps.values()].map(appSummary);
    const emulator = this.source.info();
    const appsJson = JSON.stringify(apps);
    const emulatorJson = JSON.stringify(emulator);
    for (const w of this.watchers) {
      if (w.paused) continue;
      if (w.appExisted && !this.source.apps.get(w.appId)) w.resync = true;
      if (w.resync) {
        w.paused = !w.send('snapshot', JSON.stringify(this.snapshot(w)));
        continue;
      }
      const update: Update = {};
      if (w.sent.emulator !== emulatorJson) {
        update.emulator = emulator;
        w.sent.emulator = emulatorJson;
      }
      if (w.sent.apps !== appsJson) {
        update.apps = apps;
        w.sent.apps = appsJson;
      }
      this.changesOf(w, update);
      if (Object.keys(update).length > 0) w.paused = !w.send('update', JSON.stringify(update));
    }
  }

  /** Adds the app's changed channels, connections, members and log entries to `update`. */
  private changesOf(w: Watcher, update: Update): void {
    const app = this.source.apps.get(w.appId);
    if (!app) return;
    if (w.channelsChanged) {
      w.channelsChanged = false;
      const channels = channelList(app, w.channel);
      const json = JSON.stringify(channels);
      if (json !== w.sent.channels) {
        w.sent.channels = json;
        update.channels = channels;
        update.channelsTotal = app.channels.size;
      }
    }
    if (w.connections.size > 0) {
      const changes: Update['connections'] = { set: [], remove: [] };
      for (const id of w.connections) {
        const conn = this.source.connection(id);
        if (conn && conn.app === app && conn.state !== 'closed')
          changes.set.push(connectionRow(conn));
        else changes.remove.push(id);
      }
      w.connections.clear();
      update.connections = changes;
    }
    if (w.members.size > 0) {
      const channel = w.channel === null ? undefined : app.findChannel(w.channel);
      const entered = channel ? this.enteredOn(channel) : undefined;
      const changes: Update['members'] = { set: [], remove: [] };
      for (const key of w.members) {
        const member = channel?.presence.get(key);
        if (member) changes.set.push(memberRow(member, entered?.get(key) ?? member.timestamp));
        else changes.remove.push(key);
      }
      w.members.clear();
      update.members = changes;
    }
    if (w.log.length > 0) {
      update.log = w.log.slice(-LOG_LIMIT).map(toEntry);
      w.log = [];
    }
  }

  /** Everything a stream shows, as it is now; what was pending for it is sent with it. */
  snapshot(w: Watcher): Snapshot {
    w.resync = false;
    w.connections.clear();
    w.members.clear();
    w.log = [];
    w.channelsChanged = false;
    const apps = [...this.source.apps.values()].map(appSummary);
    const emulator = this.source.info();
    w.sent.apps = JSON.stringify(apps);
    w.sent.emulator = JSON.stringify(emulator);
    const app = this.source.apps.get(w.appId);
    w.appExisted = app !== undefined;
    const channels = app ? channelList(app, w.channel) : [];
    w.sent.channels = JSON.stringify(channels);
    const channel = w.channel === null ? undefined : app?.findChannel(w.channel);
    const entered = channel ? this.enteredOn(channel) : undefined;
    return {
      emulator,
      apps,
      app: app ? app.id : null,
      channels,
      channelsTotal: app?.channels.size ?? 0,
      connections: app ? [...app.connections].map(connectionRow) : [],
      channel: w.channel,
      members: channel
        ? [...channel.presence.values()].map((m) =>
            memberRow(m, entered?.get(m.key) ?? m.timestamp),
          )
        : [],
      log: app ? (this.logs.get(app)?.values() ?? []).map(toEntry) : [],
    };
  }
}
