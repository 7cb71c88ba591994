import type { Room } from '@ably/chat';
import type { ReactNode } from 'react';

import { explicitRoomSource } from '../core/room-source';
import { RoomSourceContext } from '../providers/contexts';

/** Props for {@link TestRoomProvider}. */
export interface TestRoomProviderProps {
  /** The room every hook below uses: a `createMemoryRoom().room`, or any `@ably/chat` `Room`. */
  room: Room;
  children?: ReactNode;
}

/**
 * Gives a room you already have to every PresenceKit hook and component below it, without a
 * `ChatClient` and without attaching or releasing anything: the room is yours to drive.
 *
 * @example
 * ```tsx
 * const memory = createMemoryRoom({ members: [{ clientId: 'ada' }] });
 * render(<TestRoomProvider room={memory.room}><ViewerCount /></TestRoomProvider>);
 * ```
 */
export function TestRoomProvider({ room, children }: TestRoomProviderProps): ReactNode {
  return (
    <RoomSourceContext.Provider value={explicitRoomSource(room)}>
      {children}
    </RoomSourceContext.Provider>
  );
}
