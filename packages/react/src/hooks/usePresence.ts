import type { PresenceData, Room } from '@ably/chat';

import type { HookState } from '../core/types';

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
  void data;
  void options;
  throw new Error('usePresence: not implemented yet');
}
