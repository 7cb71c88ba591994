import type { PresenceData, Room } from '@ably/chat';
import { useCallback, useMemo, useSyncExternalStore } from 'react';

import { type PresenceKitError, invalidArgument } from '../core/errors';
import { type PresenceHistorySnapshot, presenceHistoryStore } from '../core/presence-history-store';
import { constantStore } from '../core/store';
import type { HookState, PresenceHistoryEvent } from '../core/types';
import { useRoomState } from './internal/useRoomState';

/** Options for {@link usePresenceHistory}. */
export interface UsePresenceHistoryOptions {
  /** Use this room instead of the one from the nearest `<ChatRoomProvider>`. */
  room?: Room;
  /**
   * Events per page.
   * @defaultValue `100`
   */
  limit?: number;
  /**
   * `'backwards'`: newest first; `'forwards'`: oldest first.
   * @defaultValue `'backwards'`
   */
  direction?: 'backwards' | 'forwards';
  /** Earliest time to include (milliseconds since the epoch, or a `Date`). */
  start?: number | Date;
  /** Latest time to include (milliseconds since the epoch, or a `Date`). */
  end?: number | Date;
  /**
   * Also add presence events as they happen, at the newest end of `events`.
   * @defaultValue `false`
   */
  live?: boolean;
}

/** What {@link usePresenceHistory} returns. */
export interface UsePresenceHistoryResult<TData = PresenceData> extends HookState {
  /** Events loaded so far, in `direction` order, without duplicates. */
  readonly events: readonly PresenceHistoryEvent<TData>[];
  /** `true` when another page can be loaded with `loadMore`. */
  readonly hasNext: boolean;
  /** `true` while `loadMore` is fetching. */
  readonly isLoadingMore: boolean;
  /** Loads the next page. Never rejects: failures land in `error`. */
  readonly loadMore: () => Promise<void>;
  /** Reloads from the first page. Never rejects: failures land in `error`. */
  readonly refresh: () => Promise<void>;
}

/**
 * The room's presence history (joins, leaves, updates), paginated, optionally with live events.
 *
 * @example
 * ```tsx
 * const { events, hasNext, loadMore } = usePresenceHistory({ limit: 50, live: true });
 * ```
 */
export function usePresenceHistory<TData = PresenceData>(
  options: UsePresenceHistoryOptions = {},
): UsePresenceHistoryResult<TData> {
  const { limit = 100, direction = 'backwards', live = false } = options;
  const start = toMillis(options.start);
  const end = toMillis(options.end);
  const { room, error: roomError } = useRoomState(options.room, 'usePresenceHistory()');
  const invalid = useMemo(
    () => validate(limit, direction, start, end),
    [limit, direction, start, end],
  );

  const placeholder = useMemo(
    () =>
      constantStore<PresenceHistorySnapshot>({
        events: [],
        hasNext: false,
        isLoadingMore: false,
        status: invalid || roomError ? 'error' : 'loading',
        error: invalid ?? roomError,
      }),
    [invalid, roomError],
  );
  const store =
    room && !invalid
      ? presenceHistoryStore(room, { limit, direction, start, end, live })
      : undefined;
  const source = store ?? placeholder;
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot, serverSnapshot);

  const loadMore = useCallback(() => store?.loadMore() ?? Promise.resolve(), [store]);
  const refresh = useCallback(() => store?.refresh() ?? Promise.resolve(), [store]);
  return {
    events: snapshot.events as readonly PresenceHistoryEvent<TData>[],
    hasNext: snapshot.hasNext,
    isLoadingMore: snapshot.isLoadingMore,
    status: snapshot.status,
    error: snapshot.error,
    loadMore,
    refresh,
  };
}

const SERVER_SNAPSHOT: PresenceHistorySnapshot = {
  events: [],
  hasNext: false,
  isLoadingMore: false,
  status: 'loading',
  error: undefined,
};
const serverSnapshot = (): PresenceHistorySnapshot => SERVER_SNAPSHOT;

function toMillis(value: number | Date | undefined): number | undefined {
  return value instanceof Date ? value.getTime() : value;
}

function validate(
  limit: unknown,
  direction: unknown,
  start: unknown,
  end: unknown,
): PresenceKitError | undefined {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return invalidArgument(
      `usePresenceHistory() got limit: ${String(limit)}: pass a whole number from 1 to 1000.`,
    );
  }
  if (direction !== 'backwards' && direction !== 'forwards') {
    return invalidArgument(
      `usePresenceHistory() got direction: ${JSON.stringify(direction)}: use 'backwards' or 'forwards'.`,
    );
  }
  for (const [name, value] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      return invalidArgument(
        `usePresenceHistory() got an invalid ${name}: pass a Date or milliseconds since the epoch.`,
      );
    }
  }
  if (typeof start === 'number' && typeof end === 'number' && start > end) {
    return invalidArgument('usePresenceHistory() got start after end: swap them.');
  }
  return undefined;
}
