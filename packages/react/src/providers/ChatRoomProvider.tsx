import type { RoomOptions } from '@ably/chat';
import { type ReactNode, useEffect } from 'react';

import { missingProvider } from '../core/errors';
import { roomRegistry } from '../core/room-registry';
import { RoomSourceContext } from './contexts';
import { useOptionalChatClient } from './useOptionalChatClient';

/** Props for {@link ChatRoomProvider}. */
export interface ChatRoomProviderProps {
  /** The room name. */
  name: string;
  /**
   * Room options. Compared by value: an inline object does not re-create the room. Providers for
   * the same room name must use equal options (otherwise hooks report `room_options_conflict`).
   * Turn on `occupancy.enableEvents` for live viewer counts without polling.
   */
  options?: RoomOptions;
  /**
   * Attach the room while the provider is mounted.
   * @defaultValue `true`
   */
  attach?: boolean;
  /** The part of the app that uses the room. */
  children?: ReactNode;
}

/**
 * Gets, attaches and releases a room for the hooks below it. Providers for the same room share one
 * `Room` (reference-counted per client); StrictMode's double mount, re-renders and equal inline
 * options do not release it, and it is released shortly after the last provider unmounts.
 * Failures (options conflict, attach refused) are reported by the hooks' `error`, never swallowed.
 *
 * @example
 * ```tsx
 * <ChatRoomProvider name="stage" options={{ occupancy: { enableEvents: true } }}>
 *   <ViewerCount />
 * </ChatRoomProvider>
 * ```
 */
export function ChatRoomProvider({
  name,
  options,
  attach = true,
  children,
}: ChatRoomProviderProps): ReactNode {
  const client = useOptionalChatClient();
  if (!client) throw missingProvider('<ChatRoomProvider>', true, false);
  // A lookup keyed by name and options-by-value: cheap, allocates at most, starts nothing.
  const room = roomRegistry(client).room(name, options);
  useEffect(() => room.retain(attach), [room, attach]);
  return <RoomSourceContext.Provider value={room}>{children}</RoomSourceContext.Provider>;
}
