import { DEFAULT_OCCUPANCY_POLL_MS, occupancyStore } from '../core/occupancy-store';
import type { PresenceKitError } from '../core/errors';
import type { OccupancyData } from '../core/types';
import { useInitialData, useSuspenseData } from './internal/useSuspenseData';
import { type UseOccupancyOptions, useOccupancy } from './useOccupancy';

/** Options for {@link useSuspenseOccupancy}. */
export interface UseSuspenseOccupancyOptions extends Omit<UseOccupancyOptions, 'initialData'> {
  /**
   * Occupancy fetched on the server: a value, or the promise of one (`getOccupancy()` from
   * `@presencekit/react/server`, not awaited in a Server Component, so the page streams and this
   * component waits for it). Needed for server rendering: without it the hook throws there.
   * Pass the same promise on every render (from a Server Component, or cached).
   */
  initialData?: OccupancyData | PromiseLike<OccupancyData>;
}

/** What {@link useSuspenseOccupancy} returns: numbers, never `undefined`. */
export interface UseSuspenseOccupancyResult {
  /** Connections attached to the room (everyone watching, in presence or not). */
  readonly connections: number;
  /** Members in the room's presence set. */
  readonly presenceMembers: number;
  /**
   * `'ready'`: live. `'stale'`: the last known numbers, while the connection recovers, or
   * `initialData` until the first live value.
   */
  readonly status: 'ready' | 'stale';
  /** The problem that made the numbers stale, if any. Errors without numbers are thrown. */
  readonly error: PresenceKitError | undefined;
  /** Fetches occupancy now over REST. Never rejects: failures land in `error`. */
  readonly refresh: () => Promise<void>;
}

/**
 * {@link useOccupancy} for `<Suspense>`: suspends until the room's first occupancy is known (or
 * `initialData`), then returns numbers and never suspends again on live updates. A failure with no
 * numbers to show (the room failed, events asked of a room without them, the first fetch refused)
 * is thrown as a `PresenceKitError` to the nearest error boundary. Put the `<Suspense>` boundary
 * inside `<ChatRoomProvider>`.
 *
 * @example
 * ```tsx
 * function Watching() {
 *   const { connections } = useSuspenseOccupancy();
 *   return <span>{connections} watching</span>;
 * }
 * <ChatRoomProvider name="stage">
 *   <Suspense fallback={<span>…</span>}>
 *     <Watching />
 *   </Suspense>
 * </ChatRoomProvider>;
 * ```
 */
export function useSuspenseOccupancy(
  options: UseSuspenseOccupancyOptions = {},
): UseSuspenseOccupancyResult {
  const { updates = 'auto', pollIntervalMs = DEFAULT_OCCUPANCY_POLL_MS } = options;
  const initialData = useInitialData(options.initialData, 'occupancy_fetch_failed');
  const result = useOccupancy({ ...options, initialData });
  useSuspenseData(
    options.room,
    'useSuspenseOccupancy()',
    (room) => occupancyStore(room, updates, pollIntervalMs),
    result,
    result.connections !== undefined,
  );
  const { connections, presenceMembers, status, error, refresh } = result;
  return {
    connections: connections as number,
    presenceMembers: presenceMembers as number,
    // Errors were thrown; `'loading'` here means `initialData` is shown until the live value.
    status: status === 'ready' ? 'ready' : 'stale',
    error,
    refresh,
  };
}
