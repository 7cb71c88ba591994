import type { ChatClient } from '@ably/chat';
import { type PresenceKitError, toPresenceKitError } from './errors';
import { startPolling } from './poller';
import { requestOccupancy } from './request-occupancy';
import { guardRest } from './rest-guard';
import { type ExternalStore, type SharedStore, cached, same, sharedStore } from './store';
import type { HookState, HookStatus, OccupancyData, RoomOccupancyEntry } from './types';

const LOADING: RoomOccupancyEntry = {
  connections: undefined,
  presenceMembers: undefined,
  status: 'loading',
  error: undefined,
};

/** One room's occupancy over REST, shared by every component of the page that asks for it. */
interface RoomPoll extends SharedStore<RoomOccupancyEntry> {
  readonly room: string;
  /** Adds a watcher that wants a fetch at least every `intervalMs`; returns its removal. */
  readonly watch: (listener: () => void, intervalMs: number) => () => void;
  /** Fetches now, or joins the request in flight. Never rejects. */
  readonly fetch: () => Promise<void>;
}

/**
 * One request in flight at a time, one timer at the shortest interval any watcher wants; the
 * first watcher fetches at once (StrictMode's resubscribe does not fetch again).
 */
function createRoomPoll(client: ChatClient, room: string): RoomPoll {
  const intervals: number[] = [];
  let interval = Infinity;
  let stopPolling: (() => void) | undefined;
  let inFlight: Promise<void> | undefined;

  const publish = (data: OccupancyData | undefined, error?: PresenceKitError) => {
    const previous = store.getSnapshot();
    const connections = data?.connections ?? previous.connections;
    store.set(
      same(previous, {
        connections,
        presenceMembers: data?.presenceMembers ?? previous.presenceMembers,
        status: error ? (connections === undefined ? 'error' : 'stale') : 'ready',
        error,
      }),
    );
  };
  const fetch = (): Promise<void> =>
    (inFlight ??= (async () => {
      try {
        publish(
          await guardRest(client.realtime, 'occupancy_fetch_failed', () =>
            requestOccupancy(client.realtime, room),
          ),
        );
      } catch (error) {
        publish(
          undefined,
          toPresenceKitError(
            error,
            'occupancy_fetch_failed',
            process.env.NODE_ENV !== 'production'
              ? `Could not fetch the occupancy of room "${room}"`
              : undefined,
          ),
        );
      }
      inFlight = undefined;
    })());
  const schedule = (): void => {
    const next = Math.min(...intervals);
    if (next === interval) return;
    stopPolling?.();
    interval = next;
    stopPolling = next === Infinity ? undefined : startPolling(() => void fetch(), next);
  };
  const store = sharedStore(LOADING, () => {
    void fetch();
    return () => undefined;
  });
  return Object.assign(store, {
    room,
    fetch,
    watch(listener: () => void, intervalMs: number) {
      intervals.push(intervalMs);
      schedule();
      const unsubscribe = store.subscribe(listener);
      return () => {
        intervals.splice(intervals.indexOf(intervalMs), 1);
        schedule();
        unsubscribe();
      };
    },
  });
}

const polls = new WeakMap<ChatClient, Map<string, RoomPoll>>();

function roomPoll(client: ChatClient, room: string): RoomPoll {
  return cached(
    cached(polls, client, () => new Map<string, RoomPoll>()),
    room,
    () => createRoomPoll(client, room),
  );
}

/** What a rooms occupancy store holds. */
export interface RoomsOccupancySnapshot extends HookState {
  readonly rooms: Readonly<Record<string, RoomOccupancyEntry>>;
}

/**
 * Occupancy of several rooms as one store for one component: combines the shared per-room polls
 * into one snapshot, rebuilt only when one of them changed.
 */
export function roomsOccupancyStore(
  client: ChatClient,
  rooms: readonly string[],
  intervalMs: number,
): ExternalStore<RoomsOccupancySnapshot> & { readonly refresh: () => Promise<void> } {
  const shared = [...new Set(rooms)].map((room) => roomPoll(client, room));
  let parts: readonly RoomOccupancyEntry[] = [];
  let snapshot: RoomsOccupancySnapshot | undefined;
  return {
    subscribe(listener) {
      const stops = shared.map((poll) => poll.watch(listener, intervalMs));
      return () => stops.forEach((stop) => stop());
    },
    getSnapshot() {
      const next = shared.map((poll) => poll.getSnapshot());
      if (!snapshot || next.some((part, i) => part !== parts[i])) {
        parts = next;
        snapshot = combine(
          shared.map((poll) => poll.room),
          next,
        );
      }
      return snapshot;
    },
    async refresh() {
      await Promise.all(shared.map((poll) => poll.fetch()));
    },
  };
}

const RANK: Record<HookStatus, number> = { ready: 0, stale: 1, loading: 2, error: 3 };

/** Per-room entries, the worst status of them (error, loading, stale, ready) and the first error. */
export function combine(
  names: readonly string[],
  parts: readonly RoomOccupancyEntry[],
): RoomsOccupancySnapshot {
  const rooms: Record<string, RoomOccupancyEntry> = {};
  let status: HookStatus = 'ready';
  let error;
  names.forEach((name, i) => {
    const part = (rooms[name] = parts[i] ?? LOADING);
    error ??= part.error;
    if (RANK[part.status] > RANK[status]) status = part.status;
  });
  return { rooms, status, error };
}

/**
 * `snapshot` with `initialData` (rendered on the server) filling the rooms that have no answer
 * yet; the same object when there is nothing to fill.
 */
export function withInitialOccupancy(
  snapshot: RoomsOccupancySnapshot,
  initialData: Readonly<Record<string, OccupancyData>> | undefined,
): RoomsOccupancySnapshot {
  let rooms: Record<string, RoomOccupancyEntry> | undefined;
  for (const [name, entry] of Object.entries(snapshot.rooms)) {
    const initial = initialData?.[name];
    if (initial && entry.status === 'loading' && entry.connections === undefined) {
      rooms ??= { ...snapshot.rooms };
      rooms[name] = {
        ...entry,
        connections: initial.connections,
        presenceMembers: initial.presenceMembers,
      };
    }
  }
  return rooms ? { ...snapshot, rooms } : snapshot;
}
