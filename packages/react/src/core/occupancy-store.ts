import type { Room } from '@ably/chat';

import { type PresenceKitError, occupancyEventsDisabled, toPresenceKitError } from './errors';
import { startPolling } from './poller';
import { guardRest } from './rest-guard';
import { realtimeOf, roomLiveness, statusOf, watchRoom } from './room-liveness';
import { roomStore } from './room-stores';
import { type SharedStore, same, sharedStore } from './store';
import type { HookState, OccupancyData } from './types';

/** How occupancy stays live after the first value; see `useOccupancy`'s `updates`. */
export type OccupancyUpdates = 'auto' | 'events' | 'poll';

/** What an occupancy store holds. */
export interface OccupancySnapshot extends HookState {
  /** The latest occupancy; `undefined` until the first value. */
  readonly data: OccupancyData | undefined;
}

/** An occupancy store: its snapshot, and a REST fetch on demand. */
export interface OccupancyStore extends SharedStore<OccupancySnapshot> {
  /** Fetches now over REST. Never rejects: a failure lands in the snapshot's `error`. */
  readonly refresh: () => Promise<void>;
}

/** Default polling interval when a room has no occupancy events. */
export const DEFAULT_OCCUPANCY_POLL_MS = 15_000;

/**
 * Occupancy of one room. The first value comes from the room's last occupancy event when there is
 * one (synchronously, so the first render is right) or from the REST endpoint; then occupancy
 * events keep it live, or polling does when the room has events off. It fetches again after a
 * discontinuity and whenever the room becomes live again (reattach, reconnect).
 */
function createOccupancyStore(
  room: Room,
  updates: OccupancyUpdates,
  pollIntervalMs: number,
): OccupancyStore {
  const enabled = room.options().occupancy?.enableEvents === true;
  const usesEvents = enabled && updates !== 'poll';
  const misuse = updates === 'events' && !enabled ? occupancyEventsDisabled() : undefined;
  let data: OccupancyData | undefined;
  let fetchError: PresenceKitError | undefined;
  /** The room has been live since the store started: after that, not live means stale. */
  let wasLive = false;
  /** Bumped by every event; a REST answer older than the latest event is dropped. */
  let eventSeq = 0;

  const setData = (next: OccupancyData): void => {
    if (data?.connections !== next.connections || data.presenceMembers !== next.presenceMembers) {
      data = { connections: next.connections, presenceMembers: next.presenceMembers };
    }
    fetchError = undefined;
  };
  const compute = (previous?: OccupancySnapshot): OccupancySnapshot => {
    const liveness = roomLiveness(room);
    wasLive ||= liveness.live;
    // Polled numbers come from REST: they do not depend on the room. A fresh REST answer while the
    // room attaches for the first time is current too; once the room has been live, losing it
    // means events may be missed until it is back. With events, a failed fetch matters only
    // while there is no number yet.
    const state = misuse
      ? { status: 'error' as const, error: misuse }
      : statusOf(
          usesEvents ? { ...liveness, live: liveness.live || !wasLive } : { live: true },
          data !== undefined,
          usesEvents && data ? undefined : fetchError,
        );
    const next = { data, ...state };
    return previous ? same(previous, next) : next;
  };
  const publish = (): void => store.set(compute(store.getSnapshot()));

  // Nothing to wait for when the room's last event is known (a plain getter: fine in render).
  const reset = (): void => {
    data = undefined;
    fetchError = undefined;
    const current = usesEvents ? room.occupancy.current : undefined;
    if (current) setData(current);
    wasLive = false;
  };
  reset();

  const refresh = async (): Promise<void> => {
    const seq = eventSeq;
    try {
      const fetched = await guardRest(realtimeOf(room), 'occupancy_fetch_failed', () =>
        room.occupancy.get(),
      );
      if (usesEvents && seq !== eventSeq) return;
      setData(fetched);
    } catch (error) {
      fetchError = toPresenceKitError(
        error,
        'occupancy_fetch_failed',
        process.env.NODE_ENV !== 'production'
          ? 'Could not fetch occupancy: check the connection and that the key or token allows ' +
              'the channel-metadata capability'
          : undefined,
      );
    }
    if (store.running()) publish();
  };

  const store = sharedStore(compute(), () => {
    const stops = [watchRoom(room, (resumed) => (resumed ? void refresh() : publish()))];
    if (usesEvents) {
      stops.push(
        room.occupancy.subscribe(({ occupancy }) => {
          eventSeq++;
          setData(occupancy);
          publish();
        }).unsubscribe,
      );
    } else {
      stops.push(startPolling(() => void refresh(), pollIntervalMs));
    }
    if (data === undefined || !usesEvents) void refresh();
    else publish();
    return () => {
      for (const stop of stops) stop();
      reset();
      store.set(compute());
    };
  });
  return Object.assign(store, { refresh });
}

/** The shared occupancy store of a room for these options. */
export function occupancyStore(
  room: Room,
  updates: OccupancyUpdates,
  pollIntervalMs: number,
): OccupancyStore {
  return roomStore(room, `occupancy:${updates}:${pollIntervalMs}`, () =>
    createOccupancyStore(room, updates, pollIntervalMs),
  );
}
