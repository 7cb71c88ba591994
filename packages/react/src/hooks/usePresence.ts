import type { PresenceData, Room } from '@ably/chat';
import { useEffect, useMemo } from 'react';

import { PresenceKitError, checkDataOptions, invalidOption } from '../core/errors';
import type { PresenceSchema } from '../core/presence-schema';
import { type SelfPresenceSnapshot, selfPresence } from '../core/self-presence';
import type { HookState } from '../core/types';
import { useRoomState } from './internal/useRoomState';
import { useStore } from './internal/useStore';

/**
 * Options for {@link usePresence}.
 *
 * @typeParam TData - The data type: the schema's input when there is one.
 */
export interface UsePresenceOptions<TData = PresenceData> {
  /** Use this room instead of the one from the nearest `<ChatRoomProvider>`. */
  room?: Room;
  /**
   * Checks the data before it is sent (made with `presenceSchema`): data that fails is not
   * sent; `status` is `'error'` with an `invalid_argument` error saying why (and `enter`/`update`
   * reject with it) until data that passes is given, while the user stays present with the last
   * data that passed. What is sent is the data as given (the schema's input), so other clients
   * check exactly what was checked here.
   */
  schema?: PresenceSchema<TData, unknown>;
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
 * @example With a schema (made with `presenceSchema`), the data type is its input:
 * ```tsx
 * const { error } = usePresence({ name: user.name }, { schema: Profile });
 * ```
 */
export function usePresence<TData>(
  data: NoInfer<TData> | undefined,
  options: UsePresenceOptions<TData> & { schema: PresenceSchema<TData, unknown> },
): UsePresenceResult<TData>;
/** Without a schema: the data type is what you give (or the type argument). */
export function usePresence<TData = PresenceData>(
  data?: TData,
  options?: UsePresenceOptions<TData>,
): UsePresenceResult<TData>;
export function usePresence<TData>(
  data?: TData,
  options: UsePresenceOptions<TData> = {},
): UsePresenceResult<TData> {
  const { autoEnter = true, schema } = options;
  // Compared by value: a new object with the same content each render changes nothing.
  const dataKey = keyOf(data);
  if (process.env.NODE_ENV !== 'production') {
    if (typeof autoEnter !== 'boolean') {
      throw invalidOption('usePresence()', 'autoEnter', autoEnter, 'pass true or false');
    }
    checkDataOptions('usePresence()', schema, undefined);
    if (dataKey === INVALID) {
      throw new PresenceKitError(
        'invalid_argument',
        'usePresence() got data that cannot be sent as JSON (a cycle, a BigInt, a function or a ' +
          'symbol): pass plain JSON data.',
      );
    }
  }
  const { room, error: roomError } = useRoomState(options.room, 'usePresence()');
  const controller = room && (schema?.self(selfPresence(room)) ?? selfPresence(room));
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
