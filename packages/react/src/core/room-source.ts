import type { Room } from '@ably/chat';

import { type PresenceKitError, toPresenceKitError } from './errors';
import { type ExternalStore, cached, cell, constantStore } from './store';

/** What a room source knows: the room once it exists, or why it does not. */
export interface RoomState {
  readonly room: Room | undefined;
  readonly error: PresenceKitError | undefined;
}

/** A room that may not exist yet, as a store (from a provider, a promise or the `room` option). */
export type RoomSource = ExternalStore<RoomState>;

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
    const state = cell<RoomState>({ room: undefined, error: undefined });
    // Reading a promise's outcome has no side effect on the SDK; doing it once here, not in
    // subscribe, lets a room that is already resolved show on the first commit.
    promise.then(
      (room) => state.set({ room, error: undefined }),
      (error: unknown) =>
        state.set({
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
    return { subscribe: state.subscribe, getSnapshot: state.get };
  });
}
