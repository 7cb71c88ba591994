import type { Room } from '@ably/chat';

import { type PresenceKitError, occupancyEventsDisabled, toPresenceKitError } from './errors';
import { startPolling } from './poller';
import { guardRest } from './rest-guard';
import { type RoomLiveness, realtimeOf, roomLiveness, statusOf, watchRoom } from './room-liveness';
import { roomStore } from './room-stores';
import { type ExternalStore, SharedStore, same } from './store';
import type { HookState, OccupancyData } from './types';

/** How occupancy stays live after the first value; see `useOccupancy`'s `updates`. */
export type OccupancyUpdates = 'auto' | 'events' | 'poll';

/** What an occupancy store holds. */
export interface OccupancySnapshot extends HookState {
  /** The latest occupancy; `undefined` until the first value. */
  readonly data: OccupancyData | undefined;
}

/** An occupancy store: its snapshot, and a REST fetch on demand. */
export interface OccupancyStore extends ExternalStore<OccupancySnapshot> {
  /** Fetches now over REST. Never rejects: a failure lands in the snapshot's `error`. */
  readonly refresh: () => Promise<void>;
}

/** Default polling interval when a room has no occupancy events. */
export const DEFAULT_OCCUPANCY_POLL_MS = 15_000;

/** What an occupancy store knows, besides the room's liveness. */
export interface OccupancyState {
  /** The room delivers occupancy events and the store listens to them (not polling). */
  readonly usesEvents: boolean;
  /** Why the options cannot work for this room (events asked of a room that has them off). */
  readonly misuse: PresenceKitError | undefined;
  readonly data: OccupancyData | undefined;
  readonly fetchError: PresenceKitError | undefined;
  /** The room has been live since the store started: after that, not live means stale. */
  readonly wasLive: boolean;
}

// Pure transitions.

/** The counts of `next`, as `previous` when they are the same (snapshots keep their identity). */
export function nextOccupancy(
  previous: OccupancyData | undefined,
  next: OccupancyData,
): OccupancyData {
  return previous?.connections === next.connections &&
    previous.presenceMembers === next.presenceMembers
    ? previous
    : { connections: next.connections, presenceMembers: next.presenceMembers };
}

/**
 * The status of what the store knows. Polled numbers come from REST: they do not depend on the
 * room. A fresh REST answer while the room attaches for the first time is current too; once the
 * room has been live, losing it means events may be missed until it is back. With events, a
 * failed fetch matters only while there is no number yet.
 */
export function occupancyStatus(state: OccupancyState, liveness: RoomLiveness): HookState {
  const { usesEvents, misuse, data, fetchError, wasLive } = state;
  if (misuse) return { status: 'error', error: misuse };
  return statusOf(
    usesEvents ? { ...liveness, live: liveness.live || !wasLive } : { live: true },
    data !== undefined,
    usesEvents && data ? undefined : fetchError,
  );
}

/**
 * Occupancy of one room. The first value comes from the room's last occupancy event when there is
 * one (synchronously, so the first render is right) or from the REST endpoint; then occupancy
 * events keep it live, or polling does when the room has events off. It fetches again after a
 * discontinuity and whenever the room becomes live again (reattach, reconnect).
 */
class RoomOccupancyStore extends SharedStore<OccupancySnapshot> implements OccupancyStore {
  readonly #room: Room;
  readonly #pollIntervalMs: number;
  /** The room delivers occupancy events and the store listens to them (not polling). */
  readonly #usesEvents: boolean;
  /** Events asked of a room that has them off. */
  readonly #misuse: PresenceKitError | undefined;
  #data: OccupancyData | undefined;
  #fetchError: PresenceKitError | undefined;
  #wasLive = false;
  /** Bumped by every event; a REST answer older than the latest event is dropped. */
  #eventSeq = 0;

  constructor(room: Room, updates: OccupancyUpdates, pollIntervalMs: number) {
    super({ data: undefined, status: 'loading', error: undefined });
    const enabled = room.options().occupancy?.enableEvents === true;
    this.#room = room;
    this.#pollIntervalMs = pollIntervalMs;
    this.#usesEvents = enabled && updates !== 'poll';
    this.#misuse = updates === 'events' && !enabled ? occupancyEventsDisabled() : undefined;
    this.#reset();
    this.set(this.#compute());
  }

  /** Forgets what was known, except the room's last event (a plain getter: fine in render). */
  #reset(): void {
    const current = this.#usesEvents ? this.#room.occupancy.current : undefined;
    this.#data = current ? nextOccupancy(undefined, current) : undefined;
    this.#fetchError = undefined;
    this.#wasLive = false;
  }

  #setData(next: OccupancyData): void {
    this.#data = nextOccupancy(this.#data, next);
    this.#fetchError = undefined;
  }

  #compute(): OccupancySnapshot {
    const liveness = roomLiveness(this.#room);
    this.#wasLive ||= liveness.live;
    const state = {
      usesEvents: this.#usesEvents,
      misuse: this.#misuse,
      data: this.#data,
      fetchError: this.#fetchError,
      wasLive: this.#wasLive,
    };
    return { data: this.#data, ...occupancyStatus(state, liveness) };
  }

  #publish(): void {
    this.set(same(this.getSnapshot(), this.#compute()));
  }

  protected start(): () => void {
    const room = this.#room;
    const stops = [watchRoom(room, (resumed) => (resumed ? void this.refresh() : this.#publish()))];
    if (this.#usesEvents) {
      const onEvent = ({ occupancy }: { occupancy: OccupancyData }): void => {
        this.#eventSeq++;
        this.#setData(occupancy);
        this.#publish();
      };
      stops.push(room.occupancy.subscribe(onEvent).unsubscribe);
    } else {
      stops.push(startPolling(() => void this.refresh(), this.#pollIntervalMs));
    }
    if (this.#data === undefined || !this.#usesEvents) void this.refresh();
    else this.#publish();
    return () => {
      for (const stop of stops) stop();
      this.#reset();
      this.set(this.#compute());
    };
  }

  async refresh(): Promise<void> {
    const seq = this.#eventSeq;
    try {
      const room = this.#room;
      const fetched = await guardRest(realtimeOf(room), 'occupancy_fetch_failed', () =>
        room.occupancy.get(),
      );
      if (this.#usesEvents && seq !== this.#eventSeq) return;
      this.#setData(fetched);
    } catch (error) {
      const fix =
        process.env.NODE_ENV !== 'production'
          ? 'Could not fetch occupancy: check the connection and that the key or token allows ' +
            'the channel-metadata capability'
          : undefined;
      this.#fetchError = toPresenceKitError(error, 'occupancy_fetch_failed', fix);
    }
    if (this.running) this.#publish();
  }
}

/** The shared occupancy store of a room for these options. */
export function occupancyStore(
  room: Room,
  updates: OccupancyUpdates,
  pollIntervalMs: number,
): OccupancyStore {
  return roomStore(
    room,
    `occupancy:${updates}:${pollIntervalMs}`,
    () => new RoomOccupancyStore(room, updates, pollIntervalMs),
  );
}
