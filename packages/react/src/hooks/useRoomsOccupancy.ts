import type { ChatClient } from '@ably/chat';

import type { HookState, OccupancyData, RoomOccupancyEntry } from '../core/types';

/** Options for {@link useRoomsOccupancy}. */
export interface UseRoomsOccupancyOptions {
  /** Use this client instead of the one from the nearest `<ChatClientProvider>`. */
  client?: ChatClient;
  /**
   * How often each room is fetched again, in milliseconds. Components asking for the same room
   * share one request and one timer (the shortest interval wins).
   * @defaultValue `15000`
   */
  pollIntervalMs?: number;
  /** Occupancy rendered on the server, by room name, painted before the first fetch. */
  initialData?: Readonly<Record<string, OccupancyData>>;
}

/** What {@link useRoomsOccupancy} returns. */
export interface UseRoomsOccupancyResult extends HookState {
  /** One entry per requested room name. */
  readonly rooms: Readonly<Record<string, RoomOccupancyEntry>>;
  /** Fetches every requested room now. Never rejects: failures land in the entries' `error`. */
  readonly refresh: () => Promise<void>;
}

/**
 * Occupancy of many rooms without attaching to them (REST, de-duplicated, polled, shared between
 * components): for lobbies and room directories. `status` is `'loading'` until every room has an
 * answer and `'error'` when any room failed (`error` is the first such failure).
 *
 * @example
 * ```tsx
 * const { rooms } = useRoomsOccupancy(['lobby', 'stage']);
 * return <span>{rooms.lobby?.connections ?? '…'} in the lobby</span>;
 * ```
 */
export function useRoomsOccupancy(
  roomNames: readonly string[],
  options: UseRoomsOccupancyOptions = {},
): UseRoomsOccupancyResult {
  void roomNames;
  void options;
  throw new Error('useRoomsOccupancy: not implemented yet');
}
