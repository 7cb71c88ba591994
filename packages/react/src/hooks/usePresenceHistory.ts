import type { PresenceData, Room } from '@ably/chat';
import { useCallback } from 'react';

import { invalidArgument, invalidOption } from '../core/errors';
import {
  HISTORY_LOADING,
  type PresenceHistorySnapshot,
  presenceHistoryStore,
} from '../core/presence-history-store';
import type { HookState, PresenceHistoryEvent } from '../core/types';
import { useRoomState } from './internal/useRoomState';
import { useStore } from './internal/useStore';

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
   * Also add joins, updates and leaves as they happen, at the newest end of `events` (not the
   * `present` messages a sync restates on every attach).
   * @defaultValue `false`
   */
  live?: boolean;
  /**
   * The most events kept, the newest ones: beyond it the oldest are dropped, so a live timeline
   * left open all day stays small. Once events were dropped in `'backwards'` order, `hasNext` is
   * `false` (older pages could only be added with a gap).
   * @defaultValue `500`
   */
  maxEvents?: number;
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
  const { limit = 100, direction = 'backwards', live = false, maxEvents = 500 } = options;
  const start = toMillis(options.start);
  const end = toMillis(options.end);
  const hook = 'usePresenceHistory()';
  const { room, error: roomError } = useRoomState(options.room, hook);
  const invalid =
    invalidCount(hook, 'limit', limit, 1000) ??
    invalidCount(hook, 'maxEvents', maxEvents, Infinity) ??
    (direction !== 'backwards' && direction !== 'forwards'
      ? invalidOption(hook, 'direction', direction, "use 'backwards' or 'forwards'")
      : !isTime(start) || !isTime(end)
        ? invalidArgument(`${hook} got a start or end that is not a time: pass a Date or epoch ms.`)
        : start !== undefined && end !== undefined && start > end
          ? invalidArgument(`${hook} got start after end: swap them.`)
          : undefined);

  const store =
    room && !invalid
      ? presenceHistoryStore(room, { limit, direction, start, end, live, maxEvents })
      : undefined;
  const snapshot = useStore(store, HISTORY_LOADING, invalid ?? roomError);

  const loadMore = useCallback(() => store?.loadMore() ?? Promise.resolve(), [store]);
  const refresh = useCallback(() => store?.refresh() ?? Promise.resolve(), [store]);
  return {
    ...(snapshot as PresenceHistorySnapshot & { events: readonly PresenceHistoryEvent<TData>[] }),
    loadMore,
    refresh,
  };
}

function toMillis(value: number | Date | undefined): number | undefined {
  return value instanceof Date ? value.getTime() : value;
}

function isTime(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

/** `invalid_argument` unless `value` is a whole number from 1 to `max`. */
function invalidCount(hook: string, name: string, value: unknown, max: number) {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max
    ? undefined
    : invalidOption(
        hook,
        name,
        value,
        max === Infinity
          ? 'pass a whole number of at least 1'
          : `pass a whole number from 1 to ${max}`,
      );
}
