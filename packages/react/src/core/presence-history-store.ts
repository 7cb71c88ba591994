import type { PresenceData, Room } from '@ably/chat';
import type * as Ably from 'ably';

import { PresenceKitError, presenceEventsDisabledMessage, toPresenceKitError } from './errors';
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

/** Oldest first; equal times by id, so the order is stable. */
function byTime(a: PresenceHistoryEvent, b: PresenceHistoryEvent): number {
  return a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A room's presence history: pages from REST (`room.channel.presence.history`), merged with live
 * presence events when `live` is on. Events are unique by id and ordered by time in the query's
 * direction; live events are batched to one update per animation frame. At most `maxEvents` are
 * kept, the newest: beyond it the oldest are dropped, and in `backwards` order `hasNext` turns
 * false (older pages could only be added with a gap). After a discontinuity (events may have been
 * missed) the first page is fetched again and merged in.
 */
function createHistoryStore(room: Room, query: PresenceHistoryQuery): PresenceHistoryStore {
  const { limit, direction, start, end, live, maxEvents } = query;
  const byId = new Map<string, PresenceHistoryEvent>();
  let page: Ably.PaginatedResult<Ably.PresenceMessage> | undefined;
  let loaded = false;
  let loadingMore = false;
  let fetchError: PresenceKitError | undefined;
  let misuse: PresenceKitError | undefined;
  let seq = 0;

  const add = (message: Ably.PresenceMessage): void => {
    if (
      typeof message.id === 'string' &&
      ACTIONS.includes(message.action) &&
      !byId.has(message.id)
    ) {
      byId.set(message.id, {
        id: message.id,
        action: message.action,
        clientId: message.clientId,
        connectionId: message.connectionId,
        data: message.data as PresenceData | undefined,
        timestamp: message.timestamp,
      });
    }
  };

  const publish = (): void => {
    const events = [...byId.values()].sort(byTime);
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
      if (replace) byId.clear();
      if (replace || !page) page = first;
      first.items.forEach(add);
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
        misuse = new PresenceKitError('presence_events_disabled', presenceEventsDisabledMessage);
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
            add(message);
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
        next?.items.forEach(add);
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
    'Could not fetch presence history: check that the key or token has the history capability ' +
      'for this room',
  );
}

/** The shared history store of a room for this query. */
export function presenceHistoryStore(
  room: Room,
  query: PresenceHistoryQuery,
): PresenceHistoryStore {
  return roomStore(room, `history:${JSON.stringify(query)}`, () => createHistoryStore(room, query));
}
