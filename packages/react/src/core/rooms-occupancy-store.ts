import type { ChatClient } from '@ably/chat';
import type * as Ably from 'ably';

import { getOccupancy } from '../server/getOccupancy';
import { type PresenceKitError, toPresenceKitError } from './errors';
import { startPolling } from './poller';
import type { ExternalStore } from './store';
import type { HookState, HookStatus, OccupancyData, RoomOccupancyEntry } from './types';

const LOADING: RoomOccupancyEntry = {
  connections: undefined,
  presenceMembers: undefined,
  status: 'loading',
  error: undefined,
};

/**
 * Occupancy of one room fetched over REST, shared by every component of the page that asks for
 * it: one request in flight at a time, one timer at the shortest interval any watcher wants.
 */
class RoomOccupancyPoll {
  private snapshot: RoomOccupancyEntry = LOADING;
  private readonly watchers = new Map<() => void, number>();
  private inFlight: Promise<void> | undefined;
  private stopPolling: (() => void) | undefined;
  private interval = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: ChatClient,
    readonly room: string,
  ) {}

  getSnapshot(): RoomOccupancyEntry {
    return this.snapshot;
  }

  /** Adds a watcher that wants a fetch at least every `intervalMs`; returns its removal. */
  watch(listener: () => void, intervalMs: number): () => void {
    const first = this.watchers.size === 0;
    this.watchers.set(listener, intervalMs);
    if (this.idleTimer !== undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    this.schedule();
    if (first && this.inFlight === undefined) void this.fetch();
    return () => {
      this.watchers.delete(listener);
      if (this.watchers.size > 0) {
        this.schedule();
        return;
      }
      // Stopped a macrotask later, so StrictMode's resubscribe does not refetch.
      this.idleTimer ??= setTimeout(() => {
        this.idleTimer = undefined;
        if (this.watchers.size === 0) this.setPolling(0);
      }, 0);
    };
  }

  /** Fetches now, or joins the request already in flight. Never rejects. */
  fetch(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        // `Realtime.request` is the same call as `Rest.request`; the client is only borrowed.
        const data = await getOccupancy(this.client.realtime as unknown as Ably.Rest, this.room);
        this.publish(data, undefined);
      } catch (error) {
        this.publish(
          undefined,
          toPresenceKitError(
            error,
            'occupancy_fetch_failed',
            `Could not fetch the occupancy of room "${this.room}"`,
          ),
        );
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private schedule(): void {
    this.setPolling(Math.min(...this.watchers.values()));
  }

  private setPolling(interval: number): void {
    if (interval === this.interval) return;
    this.stopPolling?.();
    this.stopPolling = undefined;
    this.interval = interval;
    if (interval > 0 && interval !== Infinity) {
      this.stopPolling = startPolling(() => void this.fetch(), interval);
    }
  }

  private publish(data: OccupancyData | undefined, error: PresenceKitError | undefined): void {
    const previous = this.snapshot;
    const connections = data?.connections ?? previous.connections;
    const presenceMembers = data?.presenceMembers ?? previous.presenceMembers;
    const status: HookStatus = error ? (connections === undefined ? 'error' : 'stale') : 'ready';
    if (
      previous.connections === connections &&
      previous.presenceMembers === presenceMembers &&
      previous.status === status &&
      (previous.error === error || (error !== undefined && previous.error?.code === error.code))
    ) {
      return;
    }
    this.snapshot = { connections, presenceMembers, status, error: error ?? undefined };
    for (const listener of [...this.watchers.keys()]) listener();
  }
}

const polls = new WeakMap<ChatClient, Map<string, RoomOccupancyPoll>>();

function roomPoll(client: ChatClient, room: string): RoomOccupancyPoll {
  let forClient = polls.get(client);
  if (!forClient) {
    forClient = new Map();
    polls.set(client, forClient);
  }
  let poll = forClient.get(room);
  if (!poll) {
    poll = new RoomOccupancyPoll(client, room);
    forClient.set(room, poll);
  }
  return poll;
}

/** What a {@link RoomsOccupancyStore} holds. */
export interface RoomsOccupancySnapshot extends HookState {
  readonly rooms: Readonly<Record<string, RoomOccupancyEntry>>;
}

/**
 * Occupancy of several rooms as one store for one component: combines the shared per-room polls
 * into one snapshot, rebuilt only when one of them changed.
 */
export class RoomsOccupancyStore implements ExternalStore<RoomsOccupancySnapshot> {
  private readonly polls: readonly RoomOccupancyPoll[];
  private last:
    { parts: readonly RoomOccupancyEntry[]; snapshot: RoomsOccupancySnapshot } | undefined;

  constructor(
    client: ChatClient,
    rooms: readonly string[],
    private readonly intervalMs: number,
  ) {
    this.polls = [...new Set(rooms)].map((room) => roomPoll(client, room));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    const stops = this.polls.map((poll) => poll.watch(listener, this.intervalMs));
    return () => {
      for (const stop of stops) stop();
    };
  };

  readonly getSnapshot = (): RoomsOccupancySnapshot => {
    const parts = this.polls.map((poll) => poll.getSnapshot());
    if (this.last && parts.every((part, i) => part === this.last?.parts[i])) {
      return this.last.snapshot;
    }
    const snapshot = combine(
      this.polls.map((poll) => poll.room),
      parts,
    );
    this.last = { parts, snapshot };
    return snapshot;
  };

  /** Fetches every room now (joining requests in flight). Never rejects. */
  readonly refresh = async (): Promise<void> => {
    await Promise.all(this.polls.map((poll) => poll.fetch()));
  };
}

/** Per-room entries and the overall status. */
export function combine(
  names: readonly string[],
  parts: readonly RoomOccupancyEntry[],
): RoomsOccupancySnapshot {
  const rooms: Record<string, RoomOccupancyEntry> = {};
  let status: HookStatus = 'ready';
  let error: PresenceKitError | undefined;
  names.forEach((name, i) => {
    const part = parts[i] ?? LOADING;
    rooms[name] = part;
    if (part.error && !error) error = part.error;
    if (part.status === 'error') status = 'error';
    else if (part.status === 'loading' && status !== 'error') status = 'loading';
    else if (part.status === 'stale' && status === 'ready') status = 'stale';
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
  if (!initialData) return snapshot;
  let rooms: Record<string, RoomOccupancyEntry> | undefined;
  for (const [name, entry] of Object.entries(snapshot.rooms)) {
    const initial = initialData[name];
    if (initial && entry.connections === undefined && entry.status === 'loading') {
      rooms ??= { ...snapshot.rooms };
      rooms[name] = { ...entry, ...pick(initial) };
    }
  }
  return rooms ? { ...snapshot, rooms } : snapshot;
}

function pick(data: OccupancyData): OccupancyData {
  return { connections: data.connections, presenceMembers: data.presenceMembers };
}
