/**
 * What the inspector page and the emulator say to each other: JSON over one Server-Sent Events
 * stream (`GET /inspector/api/stream`, a {@link Snapshot} then {@link Update}s) and one action
 * endpoint (`POST /inspector/api/action`, an {@link InspectorAction}). The page imports these
 * types and constants too: nothing here may need Node.
 */

/** Where the inspector lives under the emulator's URL. */
export const INSPECTOR_PATH = '/inspector';

/** Header the page sends with every action (besides its `Origin`, which must be the emulator's). */
export const ACTION_HEADER = 'x-ably-emulator-inspector';

/** Most log entries the stream sends at once and the page keeps. */
export const LOG_LIMIT = 1000;

/** Most channels listed per app (in name order); the selected one is always listed. */
export const CHANNEL_LIST_LIMIT = 500;

/** `lobby::$chat` → `lobby`: the chat room a channel belongs to, or null. */
export function roomOf(channel: string): string | null {
  return channel.endsWith('::$chat') ? channel.slice(0, -'::$chat'.length) : null;
}

/** The emulator as a whole: settings the page shows and can change. */
export interface EmulatorInfo {
  url: string;
  /** The app of the emulator's own key. */
  defaultApp: string;
  leaveGraceMs: number;
  maxPresenceMembers: number;
  latency: { ms: number; jitterMs: number };
  /** Simulated visitors present per room (rooms of the default app). */
  visitors: Record<string, number>;
}

export interface AppSummary {
  id: string;
  channels: number;
  connections: number;
}

/** Occupancy of a channel, as `[meta]occupancy` reports it. */
export interface Metrics {
  connections: number;
  publishers: number;
  subscribers: number;
  presenceConnections: number;
  presenceMembers: number;
  presenceSubscribers: number;
  objectPublishers: number;
  objectSubscribers: number;
}

export interface ChannelSummary {
  name: string;
  /** The chat room of a `<room>::$chat` channel; null for other channels. */
  room: string | null;
  metrics: Metrics;
  /** Messages retained in history. */
  messages: number;
}

export interface ConnectionRow {
  id: string;
  clientId: string | null;
  format: 'json' | 'msgpack';
  /** `dropped`: the socket went away; resumable, its members stay for the leave grace. */
  state: 'connected' | 'dropped';
  /** No socket at all: a simulated visitor. */
  simulated: boolean;
  auth: 'key' | 'token';
  /** When its token expires (ms since the epoch); null for key auth. */
  tokenExpires: number | null;
  /** Channel names as attached (a `[?params]` prefix kept). */
  attachments: string[];
}

export interface MemberRow {
  /** `clientId:connectionId`, unique on the channel. */
  key: string;
  clientId: string;
  connectionId: string;
  /** The member's data, shortened for display; null when it has none. */
  data: string | null;
  /** When it entered (ms since the epoch). */
  since: number;
  /** Its latest enter or update. */
  updated: number;
}

export type LogKind = 'presence' | 'message' | 'channel' | 'connection';

export interface LogEntry {
  /** Increases by one per entry of an app. */
  seq: number;
  at: number;
  kind: LogKind;
  /**
   * presence: `enter`, `update`, `leave`; message: the message name or `message`; channel:
   * `attached`, `detached`; connection: `opened`, `resumed`, `dropped`, `closed`.
   */
  action: string;
  channel: string | null;
  clientId: string | null;
  connectionId: string | null;
  /** Data, shortened; null when none. */
  detail: string | null;
}

/** The first event of a stream: everything the page shows, for one app and channel. */
export interface Snapshot {
  emulator: EmulatorInfo;
  apps: AppSummary[];
  /** The app shown; null when the one asked for does not exist. */
  app: string | null;
  channels: ChannelSummary[];
  /** Channels of the app, listed or not ({@link CHANNEL_LIST_LIMIT}). */
  channelsTotal: number;
  connections: ConnectionRow[];
  /** The channel whose members are listed, if any. */
  channel: string | null;
  members: MemberRow[];
  log: LogEntry[];
}

/** Rows to add or replace (`set`, by id or key) and to remove. */
export interface Changes<T> {
  set: T[];
  remove: string[];
}

/** What changed since the last event (at most ten a second). Absent fields did not change. */
export interface Update {
  emulator?: EmulatorInfo;
  apps?: AppSummary[];
  channels?: ChannelSummary[];
  channelsTotal?: number;
  connections?: Changes<ConnectionRow>;
  members?: Changes<MemberRow>;
  log?: LogEntry[];
}

/** What the page can ask the emulator to do. */
export type InspectorAction =
  /** Cut the socket as a network failure would: members leave after the leave grace. */
  | { type: 'drop'; app: string; connectionId: string }
  /** Close the connection cleanly (CLOSED): members leave at once. */
  | { type: 'close'; app: string; connectionId: string }
  /** Detach the connection from a channel (DETACHED): members leave; the SDK re-attaches. */
  | { type: 'detach'; app: string; connectionId: string; channel: string }
  /** Expire the connection's token now (DISCONNECTED 40142): the SDK renews it if it can. */
  | { type: 'expireToken'; app: string; connectionId: string }
  /** Take a member out of a channel's presence set (a LEAVE to everyone). */
  | { type: 'removeMember'; app: string; channel: string; clientId: string; connectionId: string }
  /** Keep about `count` simulated visitors in a room of the default app (0: none). */
  | { type: 'setVisitors'; room: string; count: number }
  /** Change the simulated network latency, one way, in ms. */
  | { type: 'setLatency'; ms: number; jitterMs: number };

/** The answer to an action: what was done, or why not. */
export type ActionResult =
  { ok: true; message: string } | { ok: false; error: { code: number; message: string } };
