import type { PresenceData, Room } from '@ably/chat';
import { useCallback } from 'react';

import { PresenceKitError, checkOneOf, invalidOption } from '../core/errors';
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
  if (process.env.NODE_ENV !== 'production') checkOptions(limit, maxEvents, direction, start, end);
  const { room, error: roomError } = useRoomState(options.room, 'usePresenceHistory()');

  const store = room
    ? presenceHistoryStore(room, { limit, direction, start, end, live, maxEvents })
    : undefined;
  const snapshot = useStore(store, HISTORY_LOADING, roomError);

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

/** Throws `invalid_argument` for options a JavaScript caller got wrong (development only). */
function checkOptions(
  limit: unknown,
  maxEvents: unknown,
  direction: unknown,
  start: unknown,
  end: unknown,
): void {
  const hook = 'usePresenceHistory()';
  checkCount(hook, 'limit', limit, 1000);
  checkCount(hook, 'maxEvents', maxEvents, Infinity);
  checkOneOf(hook, 'direction', direction, ['backwards', 'forwards']);
  if (!isTime(start) || !isTime(end)) {
    throw new PresenceKitError(
      'invalid_argument',
      `${hook} got a start or end that is not a time: pass a Date or epoch ms.`,
    );
  }
  if (start !== undefined && end !== undefined && (start as number) > (end as number)) {
    throw new PresenceKitError('invalid_argument', `${hook} got start after end: swap them.`);
  }
}

function isTime(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

/** Throws `invalid_argument` unless `value` is a whole number from 1 to `max`. */
function checkCount(hook: string, name: string, value: unknown, max: number): void {
  if (!(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max)) {
    throw invalidOption(
      hook,
      name,
      value,
      max === Infinity
        ? 'pass a whole number of at least 1'
        : `pass a whole number from 1 to ${max}`,
    );
  }
}
