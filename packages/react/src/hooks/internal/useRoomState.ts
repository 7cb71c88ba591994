import type { Room } from '@ably/chat';
import { useContext, useSyncExternalStore } from 'react';

import { invalidOption, missingProvider } from '../../core/errors';
import {
  type RoomSource,
  type RoomState,
  explicitRoomSource,
  promisedRoomSource,
} from '../../core/room-source';
import { RoomSourceContext } from '../../providers/contexts';
import { OfficialRoomContext } from '../../providers/official-contexts';
import { useRenderCount } from './useRenderCount';

/**
 * The room a hook works on: the `room` option, else the nearest PresenceKit `<ChatRoomProvider>`,
 * else the nearest `@ably/chat/react` `<ChatRoomProvider>`. Throws when there is none, because
 * that is a wiring mistake the developer must fix, not a state to render; in development, also
 * when `room` is not a `Room`.
 */
export function useRoomState(explicit: Room | undefined, hookName: string): RoomState {
  const source = useRoomSource(explicit, hookName);
  return useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
}

/** The source {@link useRoomState} reads (the Suspense hooks wait on it until the room exists). */
export function useRoomSource(explicit: Room | undefined, hookName: string): RoomSource {
  const ours = useContext(RoomSourceContext);
  const official = useContext(OfficialRoomContext);
  let source: RoomSource | undefined;
  if (process.env.NODE_ENV !== 'production' && explicit != null && !isRoom(explicit)) {
    throw invalidOption(
      hookName,
      'room',
      explicit,
      'pass a Room from chatClient.rooms.get(name), or leave it out to use the <ChatRoomProvider>',
    );
  }
  if (explicit) source = explicitRoomSource(explicit);
  else if (ours) source = ours;
  else if (official) source = promisedRoomSource(official.room);
  if (!source) throw missingProvider(hookName);
  // eslint-disable-next-line react-hooks/rules-of-hooks -- the condition is constant for a build
  if (process.env.NODE_ENV !== 'production') useRenderCount(hookName, source);
  return source;
}

/** Whether a value from a JavaScript caller looks like a chat `Room` (development only). */
function isRoom(value: unknown): value is Room {
  const room = value as Partial<Room> | null;
  return (
    typeof value === 'object' &&
    room !== null &&
    typeof room.onStatusChange === 'function' &&
    typeof room.presence === 'object'
  );
}
