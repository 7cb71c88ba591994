import type { Room } from '@ably/chat';

const stores = new WeakMap<Room, Map<string, unknown>>();

/**
 * The store of one kind and configuration for a room, created on first use and shared by every
 * hook that asks for the same `key`: one SDK subscription per room, however many components read
 * it. Creating a store starts nothing (stores start on their first listener), so this is safe to
 * call during render. Entries live as long as the `Room` object.
 */
export function roomStore<S>(room: Room, key: string, create: () => S): S {
  let forRoom = stores.get(room);
  if (!forRoom) {
    forRoom = new Map();
    stores.set(room, forRoom);
  }
  let store = forRoom.get(key) as S | undefined;
  if (store === undefined) {
    store = create();
    forRoom.set(key, store);
  }
  return store;
}
