import type { ChatClient } from '@ably/chat';
import { type Context, createContext } from 'react';

import type { RoomSource } from '../core/room-source';

/** The client from PresenceKit's `<ChatClientProvider>`. */
export const ClientContext: Context<ChatClient | undefined> = createContext<ChatClient | undefined>(
  undefined,
);

/** The room from PresenceKit's `<ChatRoomProvider>` (or a test provider). */
export const RoomSourceContext: Context<RoomSource | undefined> = createContext<
  RoomSource | undefined
>(undefined);

// Names for React DevTools, which only development builds need (as React's own contexts do).
if (process.env.NODE_ENV !== 'production') {
  ClientContext.displayName = 'PresenceKitClientContext';
  RoomSourceContext.displayName = 'PresenceKitRoomContext';
}
