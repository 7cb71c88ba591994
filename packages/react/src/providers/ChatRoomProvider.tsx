import type { RoomOptions } from '@ably/chat';
import type { ReactNode } from 'react';

/** Props for {@link ChatRoomProvider}. */
export interface ChatRoomProviderProps {
  /** The room name. */
  name: string;
  /**
   * Room options. Compared by value: an inline object does not re-create the room. Providers for
   * the same room name must use equal options (otherwise hooks report `room_options_conflict`).
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
 * `Room` (reference-counted); StrictMode's double mount and re-renders do not release it.
 *
 * @example
 * ```tsx
 * <ChatRoomProvider name="stage" options={{ occupancy: { enableEvents: true } }}>
 *   <ViewerCount />
 * </ChatRoomProvider>
 * ```
 */
export function ChatRoomProvider(props: ChatRoomProviderProps): ReactNode {
  void props;
  throw new Error('ChatRoomProvider: not implemented yet');
}
