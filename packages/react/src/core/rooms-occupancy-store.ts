import type { ChatClient } from '@ably/chat';

import { type PresenceKitError, toPresenceKitError } from './errors';
import { startPolling } from './poller';
import { requestOccupancy } from './request-occupancy';
import { guardRest } from './rest-guard';
import { type ExternalStore, SharedStore, cached, noop, same } from './store';
import type { HookState, HookStatus, OccupancyData, RoomOccupancyEntry } from './types';

const LOADING: RoomOccupancyEntry = {
  connections: undefined,
  presenceMembers: undefined,
  status: 'loading',
  error: undefined,
};

/** What a rooms occupancy store holds. */
export interface RoomsOccupancySnapshot extends HookState {
  readonly rooms: Readonly<Record<string, RoomOccupancyEntry>>;
}

// Pure transitions.

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

/**
 * A room's entry after an answer: the new counts, or the last known ones with `error` (`'stale'`
 * when there are counts to show, `'error'` when there never were any).
 */
export function nextRoomEntry(
  previous: RoomOccupancyEntry,
  data: OccupancyData | undefined,
  error?: PresenceKitError,
): RoomOccupancyEntry {
  const connections = data?.connections ?? previous.connections;
  return same(previous, {
    connections,
    presenceMembers: data?.presenceMembers ?? previous.presenceMembers,
    status: error ? (connections === undefined ? 'error' : 'stale') : 'ready',
    error,
  });
}

/**
 * One room's occupancy over REST, shared by every component of the page that asks for it: one
 * request in flight at a time, one timer at the shortest interval any watcher wants; the first
 * watcher fetches at once (StrictMode's resubscribe does not fetch again).
 */
class RoomPoll extends SharedStore<RoomOccupancyEntry> {
  readonly room: string;
  readonly #client: ChatClient;
  /** The interval each watcher wants; the timer runs at the shortest. */
  readonly #intervals: number[] = [];
  #interval = Infinity;
  #stopPolling: (() => void) | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(client: ChatClient, room: string) {
    super(LOADING);
    this.#client = client;
    this.room = room;
  }

  protected start(): () => void {
    void this.fetch();
    return noop;
  }

  #schedule(): void {
    const next = Math.min(...this.#intervals);
    if (next === this.#interval) return;
    this.#stopPolling?.();
    this.#interval = next;
    this.#stopPolling = next === Infinity ? undefined : startPolling(() => void this.fetch(), next);
  }

  async #request(): Promise<void> {
    const { realtime } = this.#client;
    try {
      const data = await guardRest(realtime, 'occupancy_fetch_failed', () =>
        requestOccupancy(realtime, this.room),
      );
      this.set(nextRoomEntry(this.getSnapshot(), data));
    } catch (error) {
      const fix =
        process.env.NODE_ENV !== 'production'
          ? `Could not fetch the occupancy of room "${this.room}"`
          : undefined;
      const failure = toPresenceKitError(error, 'occupancy_fetch_failed', fix);
      this.set(nextRoomEntry(this.getSnapshot(), undefined, failure));
    }
    this.#inFlight = undefined;
  }

  /** Fetches now, or joins the request in flight. Never rejects. */
  fetch(): Promise<void> {
    return (this.#inFlight ??= this.#request());
  }

  /** Adds a watcher that wants a fetch at least every `intervalMs`; returns its removal. */
  watch(listener: () => void, intervalMs: number): () => void {
    this.#intervals.push(intervalMs);
    this.#schedule();
    const unsubscribe = this.subscribe(listener);
    return () => {
      this.#intervals.splice(this.#intervals.indexOf(intervalMs), 1);
      this.#schedule();
      unsubscribe();
    };
  }
}

const polls = new WeakMap<ChatClient, Map<string, RoomPoll>>();

function roomPoll(client: ChatClient, room: string): RoomPoll {
  return cached(
    cached(polls, client, () => new Map<string, RoomPoll>()),
    room,
    () => new RoomPoll(client, room),
  );
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
