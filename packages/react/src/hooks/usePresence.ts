import type { PresenceData, Room } from '@ably/chat';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';

import { PresenceKitError, invalidArgument } from '../core/errors';
import { type SelfPresenceSnapshot, selfPresence } from '../core/self-presence';
import { constantStore } from '../core/store';
import type { HookState } from '../core/types';
import { useRoomState } from './internal/useRoomState';

/** Options for {@link usePresence}. */
export interface UsePresenceOptions {
  /** Use this room instead of the one from the nearest `<ChatRoomProvider>`. */
  room?: Room;
  /**
   * Enter on mount and leave on unmount. With `false`, call `enter`/`leave` yourself.
   * @defaultValue `true`
   */
  autoEnter?: boolean;
}

/** What {@link usePresence} returns. */
export interface UsePresenceResult<TData = PresenceData> extends HookState {
  /** `true` while the local user is in the room's presence set. */
  readonly isPresent: boolean;
  /** Enters presence (with `data`, or the hook's data). Rejects with a `PresenceKitError`. */
  readonly enter: (data?: TData) => Promise<void>;
  /** Updates presence data. Rejects with a `PresenceKitError`. */
  readonly update: (data?: TData) => Promise<void>;
  /** Leaves presence; the hook stops re-entering until `enter` is called. Rejects with a `PresenceKitError`. */
  readonly leave: (data?: TData) => Promise<void>;
}

/**
 * Puts the local user in the room's presence set: enters on mount, updates when `data` changes by
 * value, leaves on unmount, and stays present across dropped connections (re-entering when
 * needed). Several components may call it for the same room: one enter, one leave.
 *
 * @example
 * ```tsx
 * const { isPresent, error } = usePresence({ name: user.name, status: 'online' });
 * ```
 */
export function usePresence<TData = PresenceData>(
  data?: TData,
  options: UsePresenceOptions = {},
): UsePresenceResult<TData> {
  const { autoEnter = true } = options;
  const { room, error: roomError } = useRoomState(options.room, 'usePresence()');
  const controller = room ? selfPresence(room) : undefined;

  // Compared by value: a new object with the same content each render changes nothing.
  const dataKey = keyOf(data);
  const invalid = dataKey === INVALID ? invalidData() : undefined;
  const stableData = useMemo(
    () =>
      dataKey === undefined || dataKey === INVALID
        ? undefined
        : (JSON.parse(dataKey) as PresenceData),
    [dataKey],
  );

  const placeholder = useMemo(
    () =>
      constantStore<SelfPresenceSnapshot>({
        isPresent: false,
        status: roomError ? 'error' : 'loading',
        error: roomError,
      }),
    [roomError],
  );
  const source = controller ?? placeholder;
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot, serverSnapshot);

  useEffect(() => {
    if (!controller || !autoEnter || invalid) return undefined;
    return controller.hold(stableData);
  }, [controller, autoEnter, invalid, stableData]);

  const withController = useCallback(
    (act: (c: NonNullable<typeof controller>) => Promise<void>) =>
      controller
        ? act(controller)
        : Promise.reject(
            roomError ??
              new PresenceKitError(
                'room_unavailable',
                'The room is not ready yet: call enter/update/leave after status leaves "loading".',
              ),
          ),
    [controller, roomError],
  );
  const enter = useCallback(
    (next?: TData) => withController((c) => c.enter(next as PresenceData | undefined)),
    [withController],
  );
  const update = useCallback(
    (next?: TData) => withController((c) => c.update(next as PresenceData | undefined)),
    [withController],
  );
  const leave = useCallback(
    (next?: TData) => withController((c) => c.leave(next as PresenceData | undefined)),
    [withController],
  );

  return {
    isPresent: snapshot.isPresent,
    status: invalid ? 'error' : snapshot.status,
    error: invalid ?? snapshot.error,
    enter,
    update,
    leave,
  };
}

const INVALID = '\u0000invalid';

const SERVER_SNAPSHOT: SelfPresenceSnapshot = {
  isPresent: false,
  status: 'loading',
  error: undefined,
};
const serverSnapshot = (): SelfPresenceSnapshot => SERVER_SNAPSHOT;

/** A by-value key for presence data: its JSON text (`undefined` for no data). */
function keyOf(data: unknown): string | undefined {
  if (data === undefined) return undefined;
  try {
    // A function or symbol has no JSON text: it would be entered as "no data" without a word.
    return JSON.stringify(data) ?? INVALID;
  } catch {
    return INVALID;
  }
}

function invalidData(): PresenceKitError {
  return invalidArgument(
    'usePresence() got data that cannot be sent as JSON (a cycle, a BigInt, a function or a ' +
      'symbol): pass plain JSON data.',
  );
}
