import type { ChatClient } from '@ably/chat';
import { useCallback, useMemo, useSyncExternalStore } from 'react';

import { PresenceKitError, invalidArgument, missingClientMessage } from '../core/errors';
import { DEFAULT_OCCUPANCY_POLL_MS } from '../core/occupancy-store';
import {
  RoomsOccupancyStore,
  type RoomsOccupancySnapshot,
  combine,
  withInitialOccupancy,
} from '../core/rooms-occupancy-store';
import { constantStore } from '../core/store';
import type { HookState, OccupancyData, RoomOccupancyEntry } from '../core/types';
import { useOptionalChatClient } from './internal/useChatClient';

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
  const contextClient = useOptionalChatClient();
  const client = options.client ?? contextClient;
  if (!client) {
    throw new PresenceKitError(
      'missing_client_provider',
      missingClientMessage('useRoomsOccupancy()'),
    );
  }
  // By value: an inline array with the same names keeps the same store and subscriptions.
  const namesKey = Array.isArray(roomNames) ? JSON.stringify(roomNames) : '';
  const invalid = useMemo(() => validate(namesKey, pollIntervalMs), [namesKey, pollIntervalMs]);

  const store = useMemo(
    () =>
      invalid
        ? undefined
        : new RoomsOccupancyStore(client, JSON.parse(namesKey) as string[], pollIntervalMs),
    [client, namesKey, pollIntervalMs, invalid],
  );
  // Before any answer (and on the server): every room loading, or the error for bad input.
  const fallback = useMemo(
    () =>
      constantStore<RoomsOccupancySnapshot>(
        invalid
          ? { rooms: {}, status: 'error', error: invalid }
          : combine(JSON.parse(namesKey) as string[], []),
      ),
    [namesKey, invalid],
  );
  const source = store ?? fallback;
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot, fallback.getSnapshot);
  const shown = useMemo(() => withInitialOccupancy(snapshot, initialData), [snapshot, initialData]);

  const refresh = useCallback(() => store?.refresh() ?? Promise.resolve(), [store]);
  return { rooms: shown.rooms, status: shown.status, error: shown.error, refresh };
}

function validate(namesKey: string, pollIntervalMs: unknown): PresenceKitError | undefined {
  const names: unknown = namesKey ? JSON.parse(namesKey) : undefined;
  if (!Array.isArray(names) || names.some((name) => typeof name !== 'string' || name === '')) {
    return invalidArgument(
      "useRoomsOccupancy() needs an array of non-empty room names, e.g. useRoomsOccupancy(['lobby']).",
    );
  }
  if (
    typeof pollIntervalMs !== 'number' ||
    !(pollIntervalMs >= 1000) ||
    pollIntervalMs === Infinity
  ) {
    return invalidArgument(
      'useRoomsOccupancy() got an invalid pollIntervalMs: pass a number of milliseconds of at least 1000.',
    );
  }
  return undefined;
}
