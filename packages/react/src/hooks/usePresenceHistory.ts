import type { PresenceData, Room } from '@ably/chat';

import type { HookState, PresenceHistoryEvent } from '../core/types';

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
  void options;
  throw new Error('usePresenceHistory: not implemented yet');
}
