import type { Room } from '@ably/chat';

import { toPresenceKitError } from './errors';
import type { RoomSource, RoomState } from './room-registry';
import { constantStore } from './store';

const explicitSources = new WeakMap<Room, RoomSource>();

/** A source for a room the caller already has (the `room` option). */
export function explicitRoomSource(room: Room): RoomSource {
  let source = explicitSources.get(room);
  if (!source) {
    source = constantStore<RoomState>({ room, error: undefined });
    explicitSources.set(room, source);
  }
  return source;
}

const promiseSources = new WeakMap<Promise<Room>, RoomSource>();

/**
 * A source for a room promise, as the official `@ably/chat/react` `<ChatRoomProvider>` puts in its
 * context. Cached per promise, so every render and every hook share one source.
 */
export function promisedRoomSource(promise: Promise<Room>): RoomSource {
  let source = promiseSources.get(promise);
  if (source) return source;

  let state: RoomState = { room: undefined, error: undefined };
  const listeners = new Set<() => void>();
  const settle = (next: RoomState): void => {
    state = next;
    for (const listener of [...listeners]) listener();
  };
  // Reading a promise's outcome has no side effect on the SDK; doing it once here, not in
  // subscribe, lets a room that is already resolved show on the first commit.
  promise.then(
    (room) => settle({ room, error: undefined }),
    (error: unknown) =>
      settle({
        room: undefined,
        error: toPresenceKitError(
          error,
          'room_unavailable',
          'The @ably/chat <ChatRoomProvider> could not get its room: check its name and options',
        ),
      }),
  );
  source = {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => state,
  };
  promiseSources.set(promise, source);
  return source;
}
