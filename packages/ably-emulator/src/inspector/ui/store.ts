import {
  ACTION_HEADER,
  type ActionResult,
  type AppSummary,
  type Changes,
  type ChannelSummary,
  type ConnectionRow,
  type EmulatorInfo,
  type InspectorAction,
  LOG_LIMIT,
  type LogEntry,
  type MemberRow,
  type Snapshot,
  type Update,
} from '../wire.js';

/** Everything the page shows. Replaced, never mutated: each change makes a new object. */
export interface InspectorState {
  /** `connecting` until the first snapshot; `reconnecting` while the stream is down. */
  status: 'connecting' | 'live' | 'reconnecting';
  emulator: EmulatorInfo | null;
  apps: AppSummary[];
  /** The app shown (null: the one asked for is gone). */
  app: string | null;
  channels: ChannelSummary[];
  channelsTotal: number;
  /** The channel whose members are shown. */
  channel: string | null;
  connections: ConnectionRow[];
  members: MemberRow[];
  /** Oldest first, at most {@link LOG_LIMIT}. */
  log: LogEntry[];
  /** The answer to the latest action, for the status line. */
  notice: { ok: boolean; text: string } | null;
}

export const INITIAL_STATE: InspectorState = {
  status: 'connecting',
  emulator: null,
  apps: [],
  app: null,
  channels: [],
  channelsTotal: 0,
  channel: null,
  connections: [],
  members: [],
  log: [],
  notice: null,
};

// --- Pure transitions ---

/** Rows with `changes` applied: replaced in place, new ones at the end, removed ones gone. */
export function applyChanges<T>(
  rows: readonly T[],
  changes: Changes<T> | undefined,
  idOf: (row: T) => string,
): T[] {
  if (!changes || (changes.set.length === 0 && changes.remove.length === 0)) return rows as T[];
  const incoming = new Map(changes.set.map((row) => [idOf(row), row]));
  const removed = new Set(changes.remove);
  const out: T[] = [];
  for (const row of rows) {
    const id = idOf(row);
    if (removed.has(id)) continue;
    const next = incoming.get(id);
    if (next) incoming.delete(id);
    out.push(next ?? row);
  }
  for (const row of incoming.values()) out.push(row);
  return out;
}

export function applySnapshot(state: InspectorState, s: Snapshot): InspectorState {
  return {
    ...state,
    status: 'live',
    emulator: s.emulator,
    apps: s.apps,
    app: s.app,
    channels: s.channels,
    channelsTotal: s.channelsTotal,
    channel: s.channel,
    connections: s.connections,
    members: s.members,
    log: s.log.slice(-LOG_LIMIT),
  };
}

export function applyUpdate(state: InspectorState, u: Update): InspectorState {
  return {
    ...state,
    emulator: u.emulator ?? state.emulator,
    apps: u.apps ?? state.apps,
    channels: u.channels ?? state.channels,
    channelsTotal: u.channelsTotal ?? state.channelsTotal,
    connections: applyChanges(state.connections, u.connections, (c) => c.id),
    members: applyChanges(state.members, u.members, (m) => m.key),
    log: u.log ? [...state.log, ...u.log].slice(-LOG_LIMIT) : state.log,
  };
}

// --- The stream and the actions ---

/** The page's store: the emulator's stream in, snapshots out, actions sent. */
export interface InspectorStore {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => InspectorState;
  /** Opens the stream for the current selection; returns what closes it. */
  connect(): () => void;
  /** Shows another app and/or channel (a new stream, a new snapshot). */
  select(app: string | null, channel: string | null): void;
  /** Sends an action; its answer goes to `notice`. Resolves with whether it worked. */
  act(action: InspectorAction): Promise<boolean>;
}

/**
 * A store for the inspector served at `base` (e.g. `/inspector`). The first selection comes from
 * the page's query (`?app=…&channel=…`), and each selection is written back there, so a reload
 * shows the same thing.
 */
export function createInspectorStore(base: string, location: Location): InspectorStore {
  let state = INITIAL_STATE;
  const listeners = new Set<() => void>();
  const query = new URLSearchParams(location.search);
  let selection = { app: query.get('app'), channel: query.get('channel') };
  let source: EventSource | undefined;

  const set = (next: InspectorState) => {
    state = next;
    for (const listener of listeners) listener();
  };

  const open = () => {
    source?.close();
    const params = new URLSearchParams();
    if (selection.app !== null) params.set('app', selection.app);
    if (selection.channel !== null) params.set('channel', selection.channel);
    const es = new EventSource(`${base}/api/stream?${params.toString()}`);
    source = es;
    es.addEventListener('snapshot', (event) => {
      set(applySnapshot(state, JSON.parse((event as MessageEvent<string>).data) as Snapshot));
    });
    es.addEventListener('update', (event) => {
      set(applyUpdate(state, JSON.parse((event as MessageEvent<string>).data) as Update));
    });
    // EventSource reconnects by itself; each reconnection starts with a snapshot.
    es.addEventListener('error', () => {
      if (state.status === 'live') set({ ...state, status: 'reconnecting' });
    });
  };

  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    connect() {
      open();
      return () => {
        source?.close();
        source = undefined;
      };
    },
    select(app, channel) {
      selection = { app, channel };
      const params = new URLSearchParams();
      if (app !== null) params.set('app', app);
      if (channel !== null) params.set('channel', channel);
      const search = params.toString();
      history.replaceState(null, '', search ? `?${search}` : location.pathname);
      // Cleared at once, so the old channel's members never show under the new one's name.
      set({ ...state, app, channel, members: [], status: 'connecting' });
      if (source) open();
    },
    async act(action) {
      let result: ActionResult;
      try {
        const response = await fetch(`${base}/api/action`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [ACTION_HEADER]: '1' },
          body: JSON.stringify(action),
        });
        result = (await response.json()) as ActionResult;
      } catch (err) {
        result = {
          ok: false,
          error: { code: 0, message: `The emulator did not answer (${String(err)}).` },
        };
      }
      set({
        ...state,
        notice: result.ok
          ? { ok: true, text: result.message }
          : { ok: false, text: `${result.error.message} (${result.error.code})` },
      });
      return result.ok;
    },
  };
}
