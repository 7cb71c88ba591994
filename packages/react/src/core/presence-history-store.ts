import type { PresenceData, Room } from '@ably/chat';
import type * as Ably from 'ably';

import { type PresenceKitError, presenceEventsDisabled, toPresenceKitError } from './errors';
import { frameBatch } from './frame';
import { guardRest } from './rest-guard';
import { realtimeOf, roomLiveness, statusOf, watchRoom } from './room-liveness';
import { roomStore } from './room-stores';
import { keep } from './shallow';
import { SharedStore, type ExternalStore, same } from './store';
import type { HookState, PresenceHistoryEvent } from './types';

/** What to load; see `usePresenceHistory`'s options. */
export interface PresenceHistoryQuery {
  readonly limit: number;
  readonly direction: 'backwards' | 'forwards';
  /** Milliseconds since the epoch. */
  readonly start: number | undefined;
  /** Milliseconds since the epoch. */
  readonly end: number | undefined;
  readonly live: boolean;
  /** The most events kept; the oldest are dropped beyond it. */
  readonly maxEvents: number;
}

/** What a presence history store holds. */
export interface PresenceHistorySnapshot extends HookState {
  readonly events: readonly PresenceHistoryEvent[];
  readonly hasNext: boolean;
  readonly isLoadingMore: boolean;
}

/** A presence history store: its snapshot, and paging. */
export interface PresenceHistoryStore extends ExternalStore<PresenceHistorySnapshot> {
  /** Loads the first page again, replacing what was loaded. Never rejects. */
  readonly refresh: () => Promise<void>;
  /** Loads the next page, if any. Never rejects. */
  readonly loadMore: () => Promise<void>;
}

/** Nothing loaded yet: the first snapshot, and the server's. */
export const HISTORY_LOADING: PresenceHistorySnapshot = {
  events: [],
  hasNext: false,
  isLoadingMore: false,
  status: 'loading',
  error: undefined,
};

const ACTIONS = ['enter', 'leave', 'update', 'present', 'absent'];

/** An event, with where it stands in the order the server gave it. */
export interface Entry {
  readonly event: PresenceHistoryEvent;
  /** Larger is later; only compared between events of the same millisecond. */
  readonly rank: number;
}

/** `[msgSerial, index]` of an id its connection gave (`<connectionId>:<msgSerial>:<index>`). */
function idOrder({ id, connectionId }: PresenceHistoryEvent): [number, number] | undefined {
  if (!id.startsWith(`${connectionId}:`)) return undefined;
  const [serial, index, ...rest] = id.slice(connectionId.length + 1).split(':');
  const order = [Number(serial), Number(index)] as [number, number];
  return rest.length === 0 && Number.isInteger(order[0]) && Number.isInteger(order[1])
    ? order
    : undefined;
}

/**
 * Oldest first. Events of the same millisecond: one connection's by msgSerial, then index, as
 * numbers (the spec's RTP2b2; as strings `X:10:0` would come before `X:9:0`), others in the
 * server's order.
 */
export function chronological(a: Entry, b: Entry): number {
  const byTime = a.event.timestamp - b.event.timestamp;
  if (byTime !== 0) return byTime;
  if (a.event.connectionId === b.event.connectionId) {
    const x = idOrder(a.event);
    const y = idOrder(b.event);
    if (x && y && (x[0] !== y[0] || x[1] !== y[1])) return x[0] - y[0] || x[1] - y[1];
  }
  return a.rank - b.rank;
}

/** A message as a history event, or `undefined` for one without an id or a known action. */
export function toHistoryEvent(message: Ably.PresenceMessage): PresenceHistoryEvent | undefined {
  if (typeof message.id !== 'string' || !ACTIONS.includes(message.action)) return undefined;
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
 * The events to show: oldest first by {@link chronological}, at most `maxEvents` (the newest),
 * then in the query's direction. `dropped` are the ids cut by `maxEvents`.
 */
export function orderedEvents(
  entries: Iterable<Entry>,
  direction: PresenceHistoryQuery['direction'],
  maxEvents: number,
): { events: PresenceHistoryEvent[]; dropped: PresenceHistoryEvent[] } {
  const events = [...entries].sort(chronological).map((entry) => entry.event);
  const dropped = events.length > maxEvents ? events.splice(0, events.length - maxEvents) : [];
  if (direction === 'backwards') events.reverse();
  return { events, dropped };
}

/**
 * A room's presence history: pages from REST (`room.channel.presence.history`), merged with live
 * presence events when `live` is on. Events are unique by id and ordered by time in the query's
 * direction (within a millisecond, as the server ordered them); live events are batched to one
 * update per animation frame. At most `maxEvents` are kept, the newest: beyond it the oldest are
 * dropped, and in `backwards` order `hasNext` turns false (older pages could only be added with a
 * gap). After a discontinuity (events may have been missed) the first page is fetched again and
 * merged in.
 */
class RoomHistoryStore
  extends SharedStore<PresenceHistorySnapshot>
  implements PresenceHistoryStore
{
  readonly #room: Room;
  readonly #query: PresenceHistoryQuery;
  readonly #byId = new Map<string, Entry>();
  /** The ranks given so far at either end of the server's order. */
  #newest = 0;
  #oldest = 0;
  #page: Ably.PaginatedResult<Ably.PresenceMessage> | undefined;
  #loaded = false;
  #loadingMore = false;
  #fetchError: PresenceKitError | undefined;
  #misuse: PresenceKitError | undefined;
  /** Bumped by each first-page fetch and by stopping; an older answer is dropped. */
  #seq = 0;
  readonly #batch = frameBatch(() => this.#publish());

  constructor(room: Room, query: PresenceHistoryQuery) {
    super(HISTORY_LOADING);
    this.#room = room;
    this.#query = query;
  }

  #add(message: Ably.PresenceMessage, rank: number): void {
    const event = toHistoryEvent(message);
    if (event && !this.#byId.has(event.id)) this.#byId.set(event.id, { event, rank });
  }

  /**
   * Adds a page in the server's order: `newer` ranks it after everything held (the first page,
   * the next forwards page), `older` before it (the next backwards page).
   */
  #addPage(items: Ably.PresenceMessage[], end: 'newer' | 'older'): void {
    const oldestFirst = this.#query.direction === 'forwards' ? items : [...items].reverse();
    if (end === 'newer') for (const item of oldestFirst) this.#add(item, ++this.#newest);
    else for (const item of oldestFirst.reverse()) this.#add(item, --this.#oldest);
  }

  #publish(): void {
    const { direction, maxEvents, live } = this.#query;
    const { events, dropped } = orderedEvents(this.#byId.values(), direction, maxEvents);
    for (const event of dropped) this.#byId.delete(event.id);
    if (dropped.length > 0 && direction === 'backwards') this.#page = undefined;
    const previous = this.getSnapshot();
    const liveness = live ? roomLiveness(this.#room) : { live: true };
    this.set(
      same(previous, {
        events: keep(previous.events, events),
        hasNext: this.#page?.hasNext() ?? false,
        isLoadingMore: this.#loadingMore,
        ...(this.#misuse
          ? { status: 'error' as const, error: this.#misuse }
          : statusOf(liveness, this.#loaded, this.#fetchError)),
      }),
    );
  }

  /** Fetches the first page; `replace` drops what was loaded, otherwise the page is merged in. */
  async #loadFirst(replace: boolean): Promise<void> {
    const seq = ++this.#seq;
    const { limit, direction, start, end } = this.#query;
    this.#loadingMore = false;
    try {
      // Only defined params: the browser build of ably puts `start=undefined` into the query
      // string (the Node build drops it), which the server rejects.
      const params: Record<string, string | number> = { limit, direction };
      if (start !== undefined) params.start = start;
      if (end !== undefined) params.end = end;
      const first = await guardRest(realtimeOf(this.#room), 'history_fetch_failed', () =>
        this.#room.channel.presence.history(params),
      );
      if (seq !== this.#seq) return;
      if (replace) {
        this.#byId.clear();
        this.#newest = this.#oldest = 0;
      }
      if (replace || !this.#page) this.#page = first;
      this.#addPage(first.items, 'newer');
      this.#loaded = true;
      this.#fetchError = undefined;
    } catch (error) {
      if (seq !== this.#seq) return;
      this.#fetchError = historyError(error);
    }
    this.#publish();
  }

  /** A live presence message: only what happens now, within the query's time range. */
  readonly #onMessage = (message: Ably.PresenceMessage): void => {
    const { start, end } = this.#query;
    const at = message.timestamp;
    // A sync's `present`s (on every attach) restate who is there, and would flood a big room's
    // timeline.
    const now = ACTIONS.indexOf(message.action) < 3;
    if (now && (start === undefined || at >= start) && (end === undefined || at <= end)) {
      this.#add(message, ++this.#newest);
      this.#batch();
    }
  };

  protected start(): () => void {
    const room = this.#room;
    const stops: (() => void)[] = [];
    if (this.#query.live) {
      if (room.options().presence?.enableEvents === false) {
        this.#misuse = presenceEventsDisabled();
      } else {
        // Chat rooms set attachOnSubscribe: false, so this only listens; the room attaches.
        void room.channel.presence.subscribe(this.#onMessage);
        stops.push(() => room.channel.presence.unsubscribe(this.#onMessage));
      }
      // Back to live, or a discontinuity: what happened meanwhile is in the history now.
      const onChange = (resumed: boolean) =>
        resumed && this.#loaded ? void this.#loadFirst(false) : this.#publish();
      stops.push(watchRoom(room, onChange));
    }
    void this.#loadFirst(true);
    return () => {
      for (const stop of stops) stop();
      this.#batch.cancel();
      this.#seq++;
      this.#byId.clear();
      this.#page = this.#fetchError = this.#misuse = undefined;
      this.#loaded = this.#loadingMore = false;
      this.set(HISTORY_LOADING);
    };
  }

  refresh(): Promise<void> {
    return this.#loadFirst(true);
  }

  async loadMore(): Promise<void> {
    const page = this.#page;
    if (!page?.hasNext() || this.#loadingMore) return;
    const seq = this.#seq;
    this.#loadingMore = true;
    this.#publish();
    try {
      const next = await guardRest(realtimeOf(this.#room), 'history_fetch_failed', () =>
        page.next(),
      );
      if (seq !== this.#seq) return;
      this.#page = next ?? undefined;
      if (next) this.#addPage(next.items, this.#query.direction === 'forwards' ? 'newer' : 'older');
      this.#fetchError = undefined;
    } catch (error) {
      if (seq === this.#seq) this.#fetchError = historyError(error);
    }
    if (seq === this.#seq) {
      this.#loadingMore = false;
      this.#publish();
    }
  }
}

function historyError(error: unknown): PresenceKitError {
  return toPresenceKitError(
    error,
    'history_fetch_failed',
    process.env.NODE_ENV !== 'production'
      ? 'Could not fetch presence history: check that the key or token has the history ' +
          'capability for this room'
      : undefined,
  );
}

/** The shared history store of a room for this query. */
export function presenceHistoryStore(
  room: Room,
  query: PresenceHistoryQuery,
): PresenceHistoryStore {
  return roomStore(
    room,
    `history:${JSON.stringify(query)}`,
    () => new RoomHistoryStore(room, query),
  );
}
