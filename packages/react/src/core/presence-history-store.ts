import type { PresenceData, Room } from '@ably/chat';
import type * as Ably from 'ably';

import { PresenceKitError, presenceEventsDisabledMessage, toPresenceKitError } from './errors';
import { onNextFrame } from './frame';
import { type RoomLiveness, roomLiveness, watchLiveness } from './room-liveness';
import { roomStore } from './room-stores';
import { SharedStore } from './store';
import type { HookState, HookStatus, PresenceHistoryEvent } from './types';

/** What to load; see `usePresenceHistory`'s options. */
export interface PresenceHistoryQuery {
  readonly limit: number;
  readonly direction: 'backwards' | 'forwards';
  /** Milliseconds since the epoch. */
  readonly start: number | undefined;
  /** Milliseconds since the epoch. */
  readonly end: number | undefined;
  readonly live: boolean;
}

/** What a {@link PresenceHistoryStore} holds. */
export interface PresenceHistorySnapshot extends HookState {
  readonly events: readonly PresenceHistoryEvent[];
  readonly hasNext: boolean;
  readonly isLoadingMore: boolean;
}

const ACTIONS = new Set<string>(['enter', 'leave', 'update', 'present', 'absent']);

function toEvent(message: Ably.PresenceMessage): PresenceHistoryEvent | undefined {
  if (typeof message.id !== 'string' || !ACTIONS.has(message.action)) return undefined;
  return {
    id: message.id,
    action: message.action,
    clientId: message.clientId,
    connectionId: message.connectionId,
    data: message.data as PresenceData | undefined,
    timestamp: message.timestamp,
  };
}

/**
 * A room's presence history: pages from REST (`room.channel.presence.history`), merged with live
 * presence events when `live` is on. Events are unique by id and ordered by time in the query's
 * direction; live events are batched to one update per animation frame. After a discontinuity
 * (events may have been missed) the first page is fetched again and merged in.
 */
export class PresenceHistoryStore extends SharedStore<PresenceHistorySnapshot> {
  private readonly byId = new Map<string, PresenceHistoryEvent>();
  private page: Ably.PaginatedResult<Ably.PresenceMessage> | undefined;
  private loaded = false;
  private loadingMore = false;
  private fetchError: PresenceKitError | undefined;
  private misuse: PresenceKitError | undefined;
  private liveness: RoomLiveness = { state: 'pending', error: undefined };
  private seq = 0;
  private cancelFrame: (() => void) | undefined;
  private cleanups: (() => void)[] = [];

  constructor(
    private readonly room: Room,
    private readonly query: PresenceHistoryQuery,
  ) {
    super({
      events: [],
      hasNext: false,
      isLoadingMore: false,
      status: 'loading',
      error: undefined,
    });
  }

  /** Loads the first page again, replacing what was loaded. Never rejects. */
  readonly refresh = async (): Promise<void> => {
    await this.loadFirst(true);
  };

  /** Loads the next page, if any. Never rejects. */
  readonly loadMore = async (): Promise<void> => {
    const page = this.page;
    if (!page || !page.hasNext() || this.loadingMore) return;
    const seq = this.seq;
    this.loadingMore = true;
    this.publish();
    try {
      const next = await page.next();
      if (seq !== this.seq) return;
      this.page = next ?? undefined;
      for (const message of next?.items ?? []) this.add(message);
      this.fetchError = undefined;
    } catch (error) {
      if (seq !== this.seq) return;
      this.fetchError = this.historyError(error);
    } finally {
      if (seq === this.seq) {
        this.loadingMore = false;
        this.publish();
      }
    }
  };

  protected start(): void {
    const room = this.room;
    this.liveness = roomLiveness(room);
    if (this.query.live) {
      if (room.options().presence?.enableEvents === false) {
        this.misuse = new PresenceKitError(
          'presence_events_disabled',
          presenceEventsDisabledMessage(),
        );
      } else {
        const listener = (message: Ably.PresenceMessage): void => {
          if (!this.inWindow(message.timestamp)) return;
          this.add(message);
          this.cancelFrame ??= onNextFrame(() => {
            this.cancelFrame = undefined;
            this.publish();
          });
        };
        // Chat rooms set attachOnSubscribe: false, so this only listens; the room attaches.
        void room.channel.presence.subscribe(listener);
        this.cleanups.push(() => room.channel.presence.unsubscribe(listener));
        this.cleanups.push(room.onDiscontinuity(() => void this.loadFirst(false)).off);
      }
      this.cleanups.push(
        watchLiveness(room, () => {
          const previous = this.liveness;
          this.liveness = roomLiveness(room);
          // Back to live: what happened meanwhile is in the history now.
          if (this.liveness.state === 'live' && previous.state !== 'live' && this.loaded) {
            void this.loadFirst(false);
          } else {
            this.publish();
          }
        }),
      );
    }
    void this.loadFirst(true);
  }

  protected stop(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.cancelFrame?.();
    this.cancelFrame = undefined;
    this.seq++;
    this.byId.clear();
    this.page = undefined;
    this.loaded = false;
    this.loadingMore = false;
    this.fetchError = undefined;
    this.misuse = undefined;
    this.snapshot = {
      events: [],
      hasNext: false,
      isLoadingMore: false,
      status: 'loading',
      error: undefined,
    };
  }

  /** Fetches the first page; `replace` drops what was loaded, otherwise the page is merged in. */
  private async loadFirst(replace: boolean): Promise<void> {
    const seq = ++this.seq;
    this.loadingMore = false;
    const { limit, direction, start, end } = this.query;
    try {
      // Only defined params: the browser build of ably puts `start=undefined` into the query
      // string (the Node build drops it), which the server rejects.
      const params: Record<string, string | number> = { limit, direction };
      if (start !== undefined) params.start = start;
      if (end !== undefined) params.end = end;
      const page = await this.room.channel.presence.history(params);
      if (seq !== this.seq) return;
      if (replace) {
        this.byId.clear();
        this.page = page;
      } else if (!this.page) {
        this.page = page;
      }
      for (const message of page.items) this.add(message);
      this.loaded = true;
      this.fetchError = undefined;
    } catch (error) {
      if (seq !== this.seq) return;
      this.fetchError = this.historyError(error);
    }
    this.publish();
  }

  private add(message: Ably.PresenceMessage): void {
    const event = toEvent(message);
    if (event && !this.byId.has(event.id)) this.byId.set(event.id, event);
  }

  private inWindow(timestamp: number): boolean {
    const { start, end } = this.query;
    return (start === undefined || timestamp >= start) && (end === undefined || timestamp <= end);
  }

  private historyError(error: unknown): PresenceKitError {
    return toPresenceKitError(
      error,
      'history_fetch_failed',
      'Could not fetch presence history: check that the key or token has the history capability ' +
        'for this room',
    );
  }

  private publish(): void {
    const previous = this.snapshot;
    const events =
      previous.events.length === this.byId.size && this.sameAsLoaded(previous.events)
        ? previous.events
        : this.sorted();
    const hasNext = this.page?.hasNext() ?? false;
    const isLoadingMore = this.loadingMore;
    let status: HookStatus;
    let error: PresenceKitError | undefined;
    if (this.misuse) {
      status = 'error';
      error = this.misuse;
    } else if (this.fetchError) {
      status = this.loaded ? 'stale' : 'error';
      error = this.fetchError;
    } else if (!this.loaded) {
      status = 'loading';
    } else if (this.query.live && this.liveness.state !== 'live') {
      status = this.liveness.state === 'failed' ? 'error' : 'stale';
      error = this.liveness.error;
    } else {
      status = 'ready';
    }
    if (
      previous.events === events &&
      previous.hasNext === hasNext &&
      previous.isLoadingMore === isLoadingMore &&
      previous.status === status &&
      (previous.error === error || (error !== undefined && previous.error?.code === error.code))
    ) {
      return;
    }
    this.setSnapshot({ events, hasNext, isLoadingMore, status, error });
  }

  private sameAsLoaded(events: readonly PresenceHistoryEvent[]): boolean {
    for (const event of events) if (this.byId.get(event.id) !== event) return false;
    return true;
  }

  private sorted(): readonly PresenceHistoryEvent[] {
    const sign = this.query.direction === 'forwards' ? 1 : -1;
    return [...this.byId.values()].sort(
      (a, b) => sign * (a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    );
  }
}

/** The shared history store of a room for this query. */
export function presenceHistoryStore(
  room: Room,
  query: PresenceHistoryQuery,
): PresenceHistoryStore {
  const key = `history:${query.limit}:${query.direction}:${query.start ?? ''}:${query.end ?? ''}:${query.live}`;
  return roomStore(room, key, () => new PresenceHistoryStore(room, query));
}
