import type { ChatClient } from '@ably/chat';
import { useCallback, useMemo } from 'react';

import { PresenceKitError, checkChatClient, checkMs, missingProvider } from '../core/errors';
import { DEFAULT_OCCUPANCY_POLL_MS } from '../core/occupancy-store';
import { combine, roomsOccupancyStore, withInitialOccupancy } from '../core/rooms-occupancy-store';
import type { HookState, OccupancyData, RoomOccupancyEntry } from '../core/types';
import { useOptionalChatClient } from '../providers/useOptionalChatClient';
import { useStore } from './internal/useStore';

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
  const { pollIntervalMs = DEFAULT_OCCUPANCY_POLL_MS, initialData } = options;
  if (process.env.NODE_ENV !== 'production')
    checkOptions(roomNames, options.client, pollIntervalMs);
  const contextClient = useOptionalChatClient();
  const client = options.client ?? contextClient;
  if (!client) throw missingProvider('useRoomsOccupancy()', true);
  // By value: an inline array with the same names keeps the same store and subscriptions.
  const namesKey = JSON.stringify(roomNames);

  const store = useMemo(
    () => roomsOccupancyStore(client, JSON.parse(namesKey) as string[], pollIntervalMs),
    [client, namesKey, pollIntervalMs],
  );
  // Before any answer (and on the server): every room loading.
  const initial = useMemo(() => combine(JSON.parse(namesKey) as string[], []), [namesKey]);
  const snapshot = useStore(store, initial, undefined);
  const shown = useMemo(() => withInitialOccupancy(snapshot, initialData), [snapshot, initialData]);

  const refresh = useCallback(() => store?.refresh() ?? Promise.resolve(), [store]);
  return { ...shown, refresh };
}

/** Throws `invalid_argument` for arguments a JavaScript caller got wrong (development only). */
function checkOptions(roomNames: unknown, client: unknown, pollIntervalMs: unknown): void {
  const hook = 'useRoomsOccupancy()';
  checkChatClient(hook, client);
  if (!Array.isArray(roomNames) || roomNames.some((name) => typeof name !== 'string' || !name)) {
    throw new PresenceKitError(
      'invalid_argument',
      `${hook} needs an array of non-empty room names, e.g. useRoomsOccupancy(['lobby']).`,
    );
  }
  checkMs(hook, 'pollIntervalMs', pollIntervalMs, 1000);
}
