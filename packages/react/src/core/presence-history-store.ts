import type { PresenceData, Room } from '@ably/chat';
import type * as Ably from 'ably';

import { type PresenceKitError, presenceEventsDisabled, toPresenceKitError } from './errors';
import { frameBatch } from './frame';
import { guardRest } from './rest-guard';
import { realtimeOf, roomLiveness, statusOf, watchRoom } from './room-liveness';
import { roomStore } from './room-stores';
import { keep } from './shallow';
import { type SharedStore, same, sharedStore } from './store';
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
export interface PresenceHistoryStore extends SharedStore<PresenceHistorySnapshot> {
  /** Loads the first page again, replacing what was loaded. Never rejects. */
  readonly refresh: () => Promise<void>;
  /** Loads the next page, if any. Never rejects. */
  readonly loadMore: () => Promise<void>;
}

/** What history holds; the first three are what live events add. */
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
interface Entry {
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
function chronological(a: Entry, b: Entry): number {
  const byTime = a.event.timestamp - b.event.timestamp;
  if (byTime !== 0) return byTime;
  if (a.event.connectionId === b.event.connectionId) {
    const x = idOrder(a.event);
    const y = idOrder(b.event);
    if (x && y && (x[0] !== y[0] || x[1] !== y[1])) return x[0] - y[0] || x[1] - y[1];
  }
  return a.rank - b.rank;
}

/**
 * A room's presence history: pages from REST (`room.channel.presence.history`), merged with live
 * presence events when `live` is on. Events are unique by id and ordered by time in the query's
 * direction (within a millisecond, as the server ordered them); live events are batched to one
 * update per animation frame. At most `maxEvents` are kept, the newest: beyond it the oldest are
 * dropped, and in `backwards` order `hasNext` turns false (older pages could only be added with a
 * gap). After a discontinuity (events may have been
 * missed) the first page is fetched again and merged in.
 */
function createHistoryStore(room: Room, query: PresenceHistoryQuery): PresenceHistoryStore {
  const { limit, direction, start, end, live, maxEvents } = query;
  const byId = new Map<string, Entry>();
  /** The ranks given so far at either end of the server's order. */
  let newest = 0;
  let oldest = 0;
  let page: Ably.PaginatedResult<Ably.PresenceMessage> | undefined;
  let loaded = false;
  let loadingMore = false;
  let fetchError: PresenceKitError | undefined;
  let misuse: PresenceKitError | undefined;
  let seq = 0;

  const add = (message: Ably.PresenceMessage, rank: number): void => {
    if (
      typeof message.id === 'string' &&
      ACTIONS.includes(message.action) &&
      !byId.has(message.id)
    ) {
      const event: PresenceHistoryEvent = {
        id: message.id,
        action: message.action,
        clientId: message.clientId,
        connectionId: message.connectionId,
        data: message.data as PresenceData | undefined,
        timestamp: message.timestamp,
      };
      byId.set(message.id, { event, rank });
    }
  };

  /**
   * Adds a page in the server's order: `newer` ranks it after everything held (the first page,
   * the next forwards page), `older` before it (the next backwards page).
   */
  const addPage = (items: Ably.PresenceMessage[], end: 'newer' | 'older'): void => {
    const oldestFirst = direction === 'forwards' ? items : [...items].reverse();
    if (end === 'newer') for (const item of oldestFirst) add(item, ++newest);
    else for (const item of oldestFirst.reverse()) add(item, --oldest);
  };

  const publish = (): void => {
    const events = [...byId.values()].sort(chronological).map((entry) => entry.event);
    if (events.length > maxEvents) {
      for (const dropped of events.splice(0, events.length - maxEvents)) byId.delete(dropped.id);
      if (direction === 'backwards') page = undefined;
    }
    if (direction === 'backwards') events.reverse();
    const previous = store.getSnapshot();
    store.set(
      same(previous, {
        events: keep(previous.events, events),
        hasNext: page?.hasNext() ?? false,
        isLoadingMore: loadingMore,
        ...(misuse
          ? { status: 'error' as const, error: misuse }
          : statusOf(live ? roomLiveness(room) : { live: true }, loaded, fetchError)),
      }),
    );
  };
  const batch = frameBatch(publish);

  /** Fetches the first page; `replace` drops what was loaded, otherwise the page is merged in. */
  const loadFirst = async (replace: boolean): Promise<void> => {
    const mine = ++seq;
    loadingMore = false;
    try {
      // Only defined params: the browser build of ably puts `start=undefined` into the query
      // string (the Node build drops it), which the server rejects.
      const params: Record<string, string | number> = { limit, direction };
      if (start !== undefined) params.start = start;
      if (end !== undefined) params.end = end;
      const first = await guardRest(realtimeOf(room), 'history_fetch_failed', () =>
        room.channel.presence.history(params),
      );
      if (mine !== seq) return;
      if (replace) {
        byId.clear();
        newest = oldest = 0;
      }
      if (replace || !page) page = first;
      addPage(first.items, 'newer');
      loaded = true;
      fetchError = undefined;
    } catch (error) {
      if (mine !== seq) return;
      fetchError = historyError(error);
    }
    publish();
  };

  const store = sharedStore(HISTORY_LOADING, () => {
    const stops: (() => void)[] = [];
    if (live) {
      if (room.options().presence?.enableEvents === false) {
        misuse = presenceEventsDisabled();
      } else {
        const listener = (message: Ably.PresenceMessage): void => {
          const at = message.timestamp;
          // Only what happens now: a sync's `present`s (on every attach) restate who is there,
          // and would flood a big room's timeline.
          if (
            ACTIONS.indexOf(message.action) < 3 &&
            (start === undefined || at >= start) &&
            (end === undefined || at <= end)
          ) {
            add(message, ++newest);
            batch();
          }
        };
        // Chat rooms set attachOnSubscribe: false, so this only listens; the room attaches.
        void room.channel.presence.subscribe(listener);
        stops.push(() => room.channel.presence.unsubscribe(listener));
      }
      // Back to live, or a discontinuity: what happened meanwhile is in the history now.
      stops.push(
        watchRoom(room, (resumed) => (resumed && loaded ? void loadFirst(false) : publish())),
      );
    }
    void loadFirst(true);
    return () => {
      for (const stop of stops) stop();
      batch.cancel();
      seq++;
      byId.clear();
      page = fetchError = misuse = undefined;
      loaded = loadingMore = false;
      store.set(HISTORY_LOADING);
    };
  });

  return Object.assign(store, {
    refresh: () => loadFirst(true),
    async loadMore() {
      if (!page?.hasNext() || loadingMore) return;
      const mine = seq;
      loadingMore = true;
      publish();
      try {
        const current = page;
        const next = await guardRest(realtimeOf(room), 'history_fetch_failed', () =>
          current.next(),
        );
        if (mine !== seq) return;
        page = next ?? undefined;
        if (next) addPage(next.items, direction === 'forwards' ? 'newer' : 'older');
        fetchError = undefined;
      } catch (error) {
        if (mine === seq) fetchError = historyError(error);
      }
      if (mine === seq) {
        loadingMore = false;
        publish();
      }
    },
  });
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
  return roomStore(room, `history:${JSON.stringify(query)}`, () => createHistoryStore(room, query));
}
