import type { Room } from '@ably/chat';
import { useContext, useSyncExternalStore } from 'react';

import { PresenceKitError, missingRoomMessage } from '../../core/errors';
import type { RoomSource, RoomState } from '../../core/room-registry';
import { explicitRoomSource, promisedRoomSource } from '../../core/room-source';
import { RoomSourceContext } from '../../providers/contexts';
import { OfficialRoomContext } from '../../providers/official-contexts';

/**
 * The room a hook works on: the `room` option, else the nearest PresenceKit `<ChatRoomProvider>`,
 * else the nearest `@ably/chat/react` `<ChatRoomProvider>`. Throws when there is none, because
 * that is a wiring mistake the developer must fix, not a state to render.
 */
export function useRoomState(explicit: Room | undefined, hookName: string): RoomState {
  const ours = useContext(RoomSourceContext);
  const official = useContext(OfficialRoomContext);
  let source: RoomSource | undefined;
  if (explicit) source = explicitRoomSource(explicit);
  else if (ours) source = ours;
  else if (official) source = promisedRoomSource(official.room);
  if (!source) throw new PresenceKitError('missing_room_provider', missingRoomMessage(hookName));
  return useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
}
