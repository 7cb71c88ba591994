import type { Room } from '@ably/chat';
import { useCallback, useMemo } from 'react';

import { checkMs, checkOneOf } from '../core/errors';
import {
  DEFAULT_OCCUPANCY_POLL_MS,
  type OccupancySnapshot,
  occupancyStore,
} from '../core/occupancy-store';
import type { HookState, OccupancyData } from '../core/types';
import { useRoomState } from './internal/useRoomState';
import { useStore } from './internal/useStore';

/** Options for {@link useOccupancy}. */
export interface UseOccupancyOptions {
  /** Use this room instead of the one from the nearest `<ChatRoomProvider>`. */
  room?: Room;
  /**
   * How the numbers stay live after the first fetch.
   * - `'auto'`: occupancy events when the room enables them, otherwise polling.
   * - `'events'`: occupancy events only; an error (`occupancy_events_disabled`) if the room has them off.
   * - `'poll'`: poll the REST endpoint every `pollIntervalMs`.
   * @defaultValue `'auto'`
   */
  updates?: 'auto' | 'events' | 'poll';
  /**
   * Polling interval in milliseconds when polling (see `updates`).
   * @defaultValue `15000`
   */
  pollIntervalMs?: number;
  /** Occupancy rendered on the server (or known otherwise) to paint before the first fetch. */
  initialData?: OccupancyData;
}

/** What {@link useOccupancy} returns. */
export interface UseOccupancyResult extends HookState {
  /** Connections attached to the room; `undefined` until known (status `'loading'`). */
  readonly connections: number | undefined;
  /** Members in the presence set; `undefined` until known (status `'loading'`). */
  readonly presenceMembers: number | undefined;
  /** Fetches occupancy now over REST. Never rejects: failures land in `error`. */
  readonly refresh: () => Promise<void>;
}

/**
 * How many are in the room, right on first paint: seeded from the room's last occupancy event
 * or a REST fetch, then kept live by occupancy events or polling.
 *
 * @example
 * ```tsx
 * function Watching() {
 *   const { connections, status } = useOccupancy();
 *   return status === 'loading' ? <Skeleton /> : <span>{connections} watching</span>;
 * }
 * ```
 */
export function useOccupancy(options: UseOccupancyOptions = {}): UseOccupancyResult {
  const { updates = 'auto', pollIntervalMs = DEFAULT_OCCUPANCY_POLL_MS, initialData } = options;
  if (process.env.NODE_ENV !== 'production') {
    checkOneOf('useOccupancy()', 'updates', updates, ['auto', 'events', 'poll']);
    checkMs('useOccupancy()', 'pollIntervalMs', pollIntervalMs, 1000);
  }
  const { room, error: roomError } = useRoomState(options.room, 'useOccupancy()');

  const initial = useMemo<OccupancySnapshot>(
    () => ({ data: initialData, status: 'loading', error: undefined }),
    [initialData],
  );
  const store = room ? occupancyStore(room, updates, pollIntervalMs) : undefined;
  const snapshot = useStore(store, initial, roomError);

  const refresh = useCallback(() => store?.refresh() ?? Promise.resolve(), [store]);
  const data = snapshot.data ?? initialData;
  return {
    connections: data?.connections,
    presenceMembers: data?.presenceMembers,
    status: snapshot.status,
    error: snapshot.error,
    refresh,
  };
}
