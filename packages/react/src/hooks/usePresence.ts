import type { PresenceData, Room } from '@ably/chat';
import { useEffect, useMemo } from 'react';

import { PresenceKitError, invalidOption } from '../core/errors';
import { type SelfPresenceSnapshot, selfPresence } from '../core/self-presence';
import type { HookState } from '../core/types';
import { useRoomState } from './internal/useRoomState';
import { useStore } from './internal/useStore';

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
  // Compared by value: a new object with the same content each render changes nothing.
  const dataKey = keyOf(data);
  if (process.env.NODE_ENV !== 'production') {
    if (typeof autoEnter !== 'boolean') {
      throw invalidOption('usePresence()', 'autoEnter', autoEnter, 'pass true or false');
    }
    if (dataKey === INVALID) {
      throw new PresenceKitError(
        'invalid_argument',
        'usePresence() got data that cannot be sent as JSON (a cycle, a BigInt, a function or a ' +
          'symbol): pass plain JSON data.',
      );
    }
  }
  const { room, error: roomError } = useRoomState(options.room, 'usePresence()');
  const controller = room ? selfPresence(room) : undefined;
  const parsed = useMemo(
    () =>
      dataKey === undefined || dataKey === INVALID
        ? undefined
        : (JSON.parse(dataKey) as PresenceData),
    [dataKey],
  );
  // Data with no JSON text (production builds do not check it) goes to the SDK as it is, which
  // refuses it: the enter fails and `error` says so.
  const stableData = dataKey === INVALID ? (data as PresenceData) : parsed;

  const snapshot = useStore(controller, SERVER_SNAPSHOT, roomError);

  useEffect(() => {
    if (!controller || !autoEnter) return undefined;
    return controller.hold(stableData);
  }, [controller, autoEnter, stableData]);

  const [enter, leave] = useMemo(
    () =>
      (['enter', 'leave'] as const).map(
        (operation) =>
          (next?: TData): Promise<void> =>
            controller
              ? controller[operation](next as PresenceData | undefined)
              : Promise.reject(
                  roomError ??
                    new PresenceKitError(
                      'room_unavailable',
                      process.env.NODE_ENV !== 'production'
                        ? 'The room is not ready yet: call enter/update/leave after status leaves "loading".'
                        : undefined,
                    ),
                ),
      ),
    [controller, roomError],
  ) as [UsePresenceResult<TData>['enter'], UsePresenceResult<TData>['leave']];

  return {
    isPresent: snapshot.isPresent,
    status: snapshot.status,
    error: snapshot.error,
    enter,
    // Updating and entering are one operation: update when present, enter otherwise.
    update: enter,
    leave,
  };
}

const INVALID = '\u0000invalid';

const SERVER_SNAPSHOT: SelfPresenceSnapshot = {
  isPresent: false,
  status: 'loading',
  error: undefined,
};

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
