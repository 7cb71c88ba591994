import type { Room } from '@ably/chat';

import { toPresenceKitError } from './errors';
import type { RoomSource, RoomState } from './room-registry';
import { cached, constantStore, sharedStore } from './store';

const sources = new WeakMap<object, RoomSource>();

/** A source for a room the caller already has (the `room` option). */
export function explicitRoomSource(room: Room): RoomSource {
  return cached(sources, room, () => constantStore<RoomState>({ room, error: undefined }));
}

/**
 * A source for a room promise, as the official `@ably/chat/react` `<ChatRoomProvider>` puts in its
 * context. Cached per promise, so every render and every hook share one source.
 */
export function promisedRoomSource(promise: Promise<Room>): RoomSource {
  return cached(sources, promise, () => {
    const source = sharedStore<RoomState>({ room: undefined, error: undefined }, () => () => {});
    // Reading a promise's outcome has no side effect on the SDK; doing it once here, not in
    // subscribe, lets a room that is already resolved show on the first commit.
    promise.then(
      (room) => source.set({ room, error: undefined }),
      (error: unknown) =>
        source.set({
          room: undefined,
          error: toPresenceKitError(
            error,
            'room_unavailable',
            process.env.NODE_ENV !== 'production'
              ? 'The @ably/chat <ChatRoomProvider> could not get its room: check its name and options'
              : undefined,
          ),
        }),
    );
    return source;
  });
}
