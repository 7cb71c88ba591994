import type { Room } from '@ably/chat';

import { PresenceKitError, occupancyEventsDisabledMessage, toPresenceKitError } from './errors';
import { startPolling } from './poller';
import { type RoomLiveness, roomLiveness, watchLiveness } from './room-liveness';
import { roomStore } from './room-stores';
import { SharedStore } from './store';
import type { HookState, HookStatus, OccupancyData } from './types';

/** How occupancy stays live after the first value; see `useOccupancy`'s `updates`. */
export type OccupancyUpdates = 'auto' | 'events' | 'poll';

/** What an {@link OccupancyStore} holds. */
export interface OccupancySnapshot extends HookState {
  /** The latest occupancy; `undefined` until the first value. */
  readonly data: OccupancyData | undefined;
}

/** Options of an {@link OccupancyStore}. */
export interface OccupancyStoreOptions {
  readonly updates: OccupancyUpdates;
  readonly pollIntervalMs: number;
}

/** Default polling interval when a room has no occupancy events. */
export const DEFAULT_OCCUPANCY_POLL_MS = 15_000;

function eventsEnabled(room: Room): boolean {
  return room.options().occupancy?.enableEvents === true;
}

/**
 * Occupancy of one room. The first value comes from the room's last occupancy event when there is
 * one (synchronously, so the first render is right) or from the REST endpoint; then occupancy
 * events keep it live, or polling does when the room has events off. It fetches again after a
 * discontinuity and whenever the room becomes live again (reattach, reconnect).
 */
export class OccupancyStore extends SharedStore<OccupancySnapshot> {
  private data: OccupancyData | undefined;
  private fetchError: PresenceKitError | undefined;
  private misuse: PresenceKitError | undefined;
  private liveness: RoomLiveness = { state: 'pending', error: undefined };
  /** The room has been live (attached and connected) since this store started. */
  private wasLive = false;
  private usesEvents = false;
  /** Bumped by every event; a REST answer older than the latest event is dropped. */
  private eventSeq = 0;
  private cleanups: (() => void)[] = [];

  constructor(
    private readonly room: Room,
    private readonly options: OccupancyStoreOptions,
  ) {
    super({ data: undefined, status: 'loading', error: undefined });
    this.reset();
  }

  /** Fetches now over REST. Never rejects: a failure lands in the snapshot's `error`. */
  readonly refresh = async (): Promise<void> => {
    const seq = this.eventSeq;
    try {
      const data = await this.room.occupancy.get();
      if (seq !== this.eventSeq && this.usesEvents) return;
      this.data = sameOccupancy(this.data, data)
        ? this.data
        : { connections: data.connections, presenceMembers: data.presenceMembers };
      this.fetchError = undefined;
    } catch (error) {
      this.fetchError = toPresenceKitError(
        error,
        'occupancy_fetch_failed',
        'Could not fetch occupancy: check the connection and that the key or token allows ' +
          'the channel-metadata capability',
      );
    }
    this.publish();
  };

  protected start(): void {
    const room = this.room;
    const enabled = eventsEnabled(room);
    this.misuse =
      this.options.updates === 'events' && !enabled
        ? new PresenceKitError('occupancy_events_disabled', occupancyEventsDisabledMessage())
        : undefined;
    this.usesEvents = enabled && this.options.updates !== 'poll';

    this.cleanups.push(
      watchLiveness(room, () => {
        const previous = this.liveness;
        this.liveness = roomLiveness(room);
        if (this.liveness.state === 'live') this.wasLive = true;
        // Back to live after attaching, reattaching or reconnecting: events may have been missed.
        if (this.liveness.state === 'live' && previous.state !== 'live') void this.refresh();
        else this.publish();
      }),
    );
    this.cleanups.push(room.onDiscontinuity(() => void this.refresh()).off);

    if (this.usesEvents) {
      this.cleanups.push(
        room.occupancy.subscribe((event) => {
          this.eventSeq++;
          this.data = sameOccupancy(this.data, event.occupancy)
            ? this.data
            : {
                connections: event.occupancy.connections,
                presenceMembers: event.occupancy.presenceMembers,
              };
          this.fetchError = undefined;
          this.publish();
        }).unsubscribe,
      );
    } else {
      this.cleanups.push(startPolling(() => void this.refresh(), this.options.pollIntervalMs));
    }

    this.liveness = roomLiveness(room);
    if (this.liveness.state === 'live') this.wasLive = true;
    // Nothing to wait for when the room's last event is known; otherwise ask REST now, attached
    // or not, so the first number painted is right.
    if (this.data === undefined || !this.usesEvents) void this.refresh();
    else this.publish();
  }

  protected stop(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.reset();
  }

  /** Back to what a fresh store knows: the room's last occupancy event, if events are on. */
  private reset(): void {
    this.data = undefined;
    this.fetchError = undefined;
    this.misuse = undefined;
    if (this.options.updates !== 'poll' && eventsEnabled(this.room)) {
      // `current` is a plain getter over the last event; reading it in render is side-effect free.
      const current = this.room.occupancy.current;
      if (current)
        this.data = { connections: current.connections, presenceMembers: current.presenceMembers };
    }
    this.liveness = roomLiveness(this.room);
    this.wasLive = this.liveness.state === 'live';
    this.snapshot = this.compute(this.snapshot);
  }

  private publish(): void {
    this.setSnapshot(this.compute(this.snapshot));
  }

  private compute(previous: OccupancySnapshot): OccupancySnapshot {
    const { data } = this;
    let status: HookStatus;
    let error: PresenceKitError | undefined;
    if (this.misuse) {
      status = 'error';
      error = this.misuse;
    } else if (this.fetchError && (!this.usesEvents || data === undefined)) {
      status = data === undefined ? 'error' : 'stale';
      error = this.fetchError;
    } else if (!this.usesEvents) {
      // Polled numbers come from REST: they do not depend on the room being attached.
      status = data === undefined ? 'loading' : 'ready';
      error = undefined;
    } else if (this.liveness.state === 'failed') {
      status = 'error';
      error = this.liveness.error;
    } else if (data === undefined) {
      status = 'loading';
    } else {
      // A fresh REST answer while the room attaches for the first time is current, not stale;
      // once the room has been live, losing it means events may be missed until it is back.
      status = this.liveness.state === 'live' || !this.wasLive ? 'ready' : 'stale';
    }
    if (
      previous.data === data &&
      previous.status === status &&
      (previous.error === error || (previous.error?.code === error?.code && error !== undefined))
    ) {
      return previous;
    }
    return { data, status, error };
  }
}

function sameOccupancy(a: OccupancyData | undefined, b: OccupancyData): boolean {
  return (
    a !== undefined && a.connections === b.connections && a.presenceMembers === b.presenceMembers
  );
}

/** The shared occupancy store of a room for these options. */
export function occupancyStore(room: Room, options: OccupancyStoreOptions): OccupancyStore {
  return roomStore(
    room,
    `occupancy:${options.updates}:${options.pollIntervalMs}`,
    () => new OccupancyStore(room, options),
  );
}
